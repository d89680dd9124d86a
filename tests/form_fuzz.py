"""Tools for tests/test_form_fuzz.py: read a page's POST forms as a browser submits them, make awkward text,
and say what a page, a PDF or a workbook shows."""

import dataclasses
import io
import json
import re
import subprocess
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import load_workbook

from plans.bounds import clean_text

# Characters people paste (from Word, Outlook, PDFs, phones) and attackers type.
CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x7f\x85\x9f\u2028\u2029"
EMOJI = "😀👩🏽‍⚕️🇬🇧𝔘𝔫𝔦✓"
RTL = "\u200f\u200e\u202e\u202c\u2066\u2069שלום مرحبا"
COMBINING = "e\u0301a\u0308\u0336\u0489"
HTMLISH = "<script>alert('x')</script>&amp;\"'{{ x }}{% if %}"
NASTY = CONTROLS + EMOJI + RTL + COMBINING + HTMLISH + "\t\n\r "

LONG_LINES = "\n".join(f"Line {n}: café 😀 שלום" for n in range(400))  # 160 short lines once broke the report PDF


@dataclasses.dataclass
class Field:
    """One field of a form: what kind of value it takes and how the app must treat it."""

    name: str
    kind: str = "text"  # text | url | date | month | number | token (hidden or a choice: only must not fail)
    limit: int | None = None  # the longest the app must accept (the model's or form's max_length)
    required: bool = False
    free: bool = True  # any text within the limit must be taken (False: a format may refuse some)
    prefix: str = ""  # what every value starts with, to pass the field's own format rules
    exports: tuple = ()  # names of the exports that must show an accepted value
    label: str = ""  # words the refusal must use, when the page's label is not the best name
    one_per_line: bool = False  # a list typed one item a line (owners): each line must be shown

    def edges(self):
        """The values every run tries, by name."""
        p = self.prefix
        if self.kind == "text":
            values = {
                "controls": p + "Tab\there vt\x0bff\x0cesc\x1bdel\x7fnel\x85ls\u2028ps\u2029end",
                "nul": p + "before\x00after",
                "mixed": p + "Emoji 😀 👩🏽‍⚕️ 🇬🇧 𝔘𝔫𝔦 ✓ RTL \u200fשלום\u200f \u202eevil\u202c \u2066مرحبا\u2069 "
                "Cafe\u0301 Zo\u0308e Z\u0336\u0489 <script>alert('x')</script> & <b>bold</b> \"q\" {{ x }} {% if %}",
                "crlf": p + "one\r\ntwo\rthree\n",
                "whitespace": "  \t \n  ",
            }
            if self.limit:
                values["longest"] = p + "x" * (self.limit - len(p))
                values["longest_emoji"] = p + "😀" * (self.limit - len(p))
                values["one_past"] = p + "x" * (self.limit + 1 - len(p))
            else:
                values["longest"] = p + LONG_LINES
            # Within the limit (a short field still gets every kind of character, as much as fits).
            return {edge: v if edge == "one_past" or not self.limit else v[: self.limit] for edge, v in values.items()}
        if self.kind == "filename":
            text = Field(self.name, limit=self.limit and self.limit - 4).edges()
            # No line breaks: a browser sends them in a file's name percent-encoded, never raw.
            return {edge: value + ".csv" for edge, value in text.items() if edge not in ("whitespace", "crlf")}
        if self.kind == "url":
            base = "https://example.org/"
            values = {
                "emoji": base + "😀/שלום",
                "controls": base + "a\x0bb",
                "nul": base + "a\x00b",
                "html": base + "<script>",
                "not_a_url": "javascript:alert(1)",
                "whitespace": "   ",
            }
            if self.limit:
                values["longest"] = base + "x" * (self.limit - len(base))
                values["one_past"] = base + "x" * (self.limit + 1 - len(base))
            return values
        if self.kind == "date":
            return {v: v for v in ["0001-01-01", "1999-12-31", "2100-12-31", "2101-01-01", "2025-02-30",
                                   "2025-06-01\x00", "٢٠٢٥-٠٦-٠١", "2025-06-01😀"]}
        if self.kind == "month":
            return {v: v for v in ["0001-01", "1999-12", "2100-12", "2101-01", "2025-13", "2026-03\x00", "٢٠٢٦-٠٣",
                                   "2026-03😀"]}
        if self.kind == "number":
            return {v: v for v in ["NaN", "Infinity", "1e400", "-1", "99999999999", "١٢", "12\x00", "1,000"]}
        return {v: v for v in ["", "99999999999999999999", "NaN", "x\x00😀<script>"]}

    def strategy(self):
        """Hypothesis: anything, the awkward characters more often than not."""
        alphabet = st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8"))
        if self.kind == "text":
            size = min(self.limit or 300, 300) - len(self.prefix)
            return st.text(alphabet, min_size=1, max_size=max(size, 1)).map(lambda s: self.prefix + s)
        if self.kind == "filename":
            return st.text(alphabet, min_size=1, max_size=60).map(lambda s: s + ".csv")
        if self.kind == "url":
            return st.text(alphabet, max_size=60).map(lambda s: "https://example.org/" + s)
        return st.one_of(st.sampled_from(list(self.edges().values())), st.text(alphabet, max_size=20))

    def must_take(self, edge):
        """Whether the app must accept this edge value (None: either answer, as long as a refusal names the field)."""
        if self.kind != "text" or not self.free:
            return None
        if edge == "one_past":
            return False
        if edge == "whitespace":
            return not self.required
        return True


def expected(value: str) -> str:
    """What the app must keep of typed text: control characters cleaned (plans/bounds.py), then stripped as
    Django's CharField does."""
    return clean_text(value).strip()


class _Page(HTMLParser):
    """A page's POST forms (fields as a browser submits them), labels, errors and visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.labels, self.errors, self.text = [], {}, [], []
        self._form = self._textarea = self._select = self._option = self._label = None
        self._error = None  # (target id, [text]) while inside an error link or an admin error list
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        self.text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "data": [],
                          "names": set(), "values": {}}
            self.forms.append(self._form)
        elif tag == "label" and a.get("for"):
            self._label = (a["for"], [])
        elif tag == "a" and a.get("href", "").startswith("#") and self._in_summary():
            self._error = (a["href"][1:], [])
        elif tag == "ul" and "errorlist" in a.get("class", "") and a.get("id", "").endswith("_error"):
            self._error = (a["id"][: -len("_error")], [])
        elif tag == "p" and "govuk-error-message" in a.get("class", "") and a.get("id", "").endswith("-error"):
            self._error = (a["id"][: -len("-error")], [])
        if tag == "button" and self._form is not None and a.get("name"):
            self._form["names"].add(a["name"])
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option = [a.get("value"), "selected" in a, []]
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                self._form["names"].add(name)  # a name the form has, though not sent as text
                return
            self._form["names"].add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            else:
                self._add(name, a.get("value", ""))
        elif tag == "textarea":
            self._form["names"].add(name)
            self._textarea = (name, [])
        elif tag == "select":
            self._form["names"].add(name)
            self._select = (name, "multiple" in a, [])

    def _in_summary(self):
        return getattr(self, "_summary", False)

    def _add(self, name, value):
        self._form["data"].append((name, value))
        self._form["values"].setdefault(name, value)

    def handle_endtag(self, tag):
        self.text.append(" ")
        if tag in ("script", "style"):
            self._skip = max(self._skip - 1, 0)
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            name, parts = self._textarea
            self._add(name, "".join(parts))
            self._textarea = None
        elif tag == "option" and self._option:
            value, selected, label = self._option
            self._select[2].append((label and "".join(label) if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select:
            name, multiple, options = self._select
            chosen = [v for v, selected in options if selected] or ([] if multiple else [v for v, _ in options[:1]])
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "label" and self._label:
            self.labels[self._label[0]] = " ".join("".join(self._label[1]).split())
            self._label = None
        elif tag in ("a", "ul", "p") and self._error:
            target, parts = self._error
            self.errors.append((target, " ".join("".join(parts).split())))
            self._error = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)
            return
        if self._option:
            self._option[2].append(data)
        if self._label:
            self._label[1].append(data)
        if self._error:
            self._error[1].append(data)
        if not self._skip:
            self.text.append(data)


class _SummaryPage(_Page):
    summary = ""

    def handle_data(self, data):
        if getattr(self, "_summary", False):
            self.summary += data
        super().handle_data(data)

    def handle_starttag(self, tag, attrs):
        if tag == "ul" and "govuk-error-summary__list" in (dict(attrs).get("class") or ""):
            self._summary = True
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "ul":
            self._summary = False
        super().handle_endtag(tag)


def read_page(content: bytes | str) -> _Page:
    page = _SummaryPage()
    page.feed(content.decode() if isinstance(content, bytes) else content)
    page.close()
    return page


def visible_text(content) -> str:
    return squeeze("".join(read_page(content).text))


def squeeze(text: str) -> str:
    # Whitespace as HTML shows it; NFC because Django's truncatechars composes "e\u0301" into "é" (the same text).
    return " ".join(unicodedata.normalize("NFC", text).split())


def shown_or_cut_visibly(wanted: str, text: str, squash=squeeze) -> bool:
    """Whether `text` shows `wanted` whole, or cut with an ellipsis saying so."""
    wanted, text = squash(wanted), squash(text)
    if wanted in text:
        return True
    for match in re.finditer("…", text):
        start = max(0, match.start() - len(wanted))
        before = text[start : match.start()].rstrip()
        # The longest end of what precedes the ellipsis that is a start of `wanted`, at least 20 characters.
        for cut in range(len(before) - 20, -1, -1):
            if wanted.startswith(before[cut:]) and len(before) - cut >= 20:
                return True
    return False


def no_spaces(text: str) -> str:
    # A PDF breaks lines (and long words) where it likes: compare without any whitespace. Bidi marks, embeddings
    # and isolates are no glyphs: a PDF keeps the order they make, not the marks (pdftotext adds its own).
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", unicodedata.normalize("NFC", text))


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        # -raw: in the order drawn (WeasyPrint draws in the page's order), not guessed from where text sits; the
        # A4 page less its top and bottom margins (the running header and page number), so text over a page reads on.
        crop = ["-x", "0", "-y", "60", "-W", "595", "-H", "732"]
        text = subprocess.run(["pdftotext", "-raw", *crop, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True, text=True).stdout
    # A table carried on over a page repeats its column headings at the top: page furniture, like the header.
    return REPEATED_HEADINGS.sub("\f", text)


REPEATED_HEADINGS = re.compile(
    r"\f(?:Ref Action Status By when Latest commentary and\s+evidence|Measure Latest Target Baseline RAG Trend, "
    r"last 12 months)\n"
)


def workbook_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
            for cell in row if cell is not None]


def json_strings(content: bytes) -> list[str]:
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(content))
    return found
