"""What one cell of a figures file means: a month heading, a figure, or a measure's code or name.

Nothing here guesses: a cell is read one way, or it is refused (or skipped) with the reason in words.
"""

import dataclasses
import datetime
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from measures.models import Figure, Measure, Unit
from measures.workbooks import Cell

MONTHS = {name.lower(): number for number, name in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"]) if name}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH_NAME = r"(?P<month>[a-z]{3,9})\.?"
MONTH_PATTERNS = [
    re.compile(rf"^{MONTH_NAME}[\s\-/']*(?P<year>\d{{4}}|\d{{2}})$"),  # Mar-25, Mar 2025, March 2025, Apr'25
    re.compile(
        r"^(?P<year>\d{4})[-/.](?P<number>\d{1,2})([-/.]\d{1,2})?([ t]\d{1,2}:\d{2}(:\d{2})?)?$"
    ),  # 2025-03(-01)
    re.compile(r"^(?P<number>\d{1,2})[/.\-](?P<year>\d{4})$"),  # 03/2025
]
NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})$"
)  # 01/03/2025 or 03/01/2025
YEARLESS = re.compile(rf"^{MONTH_NAME}$")  # Apr, under a year in the row above
ANNOTATED = re.compile(r"^(?P<core>.+?)\s*[(\[](?P<note>[^)\]]{1,20})[)\]]$")  # Jun 25 (prov)
QUARTER = re.compile(r"^(q[1-4]|quarter\s*[1-4])\b")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # a month outside these is a typing slip, never a figure's month

FRACTION = re.compile(r"^(?P<numerator>\d+)\s*(?:/|of|out of)\s*(?P<denominator>\d+)$", re.IGNORECASE)
FOOTNOTE = re.compile(r"^(?P<number>.*?[\d%])\s*(?P<mark>\*+|[†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\w{1,3}\]|\((?:[a-z]|\d{1,2})\))$")
NO_FIGURE = {"n/a", "na", "n.a.", "n.a", "-", "--", "tbc", "tba", "nya", "not yet available", "not available",
             "no data", "..", "x", "awaiting data", "not applicable", "nd"}
# The database's bounds (Figure.value: 12 digits, 2 after the point; numerator and denominator:
# PostgreSQL integers; Figure.note: 500 characters), checked here so that no write can fail.
LARGEST_VALUE = Decimal("9999999999.99")
LARGEST_COUNT = 2_147_483_647
NOTE_LENGTH = Figure._meta.get_field("note").max_length
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CENT = Decimal("0.01")

DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
QUOTES = {**dict.fromkeys(map(ord, "‘’‚‛′`´"), "'"), **dict.fromkeys(map(ord, "“”„‟″"), '"')}
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def normalise(text) -> str:
    """Text as people mean it: case, spaces (non-breaking too), dashes, quotes and "&"/"and" do not matter."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", str(text))).translate(DASHES).translate(QUOTES).lower()
    text = re.sub(r"\s*-\s*", " - ", text.replace("&", " and "))
    return re.sub(r"\s+", " ", text).strip().rstrip(".:;*").strip()


def _heading_text(value) -> str:
    return normalise(value).replace(" - ", "-")


# -- months ---------------------------------------------------------------------------------------


def parse_month(value) -> datetime.date | None:
    """A month written any usual, unambiguous way; None for anything else."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1) if FIRST_YEAR <= value.year <= LAST_YEAR else None
    if not isinstance(value, str):
        return None
    text = _heading_text(value)
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        number = int(parts["number"]) if parts.get("number") else MONTHS.get(parts.get("month", ""))
        year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
        if number and 1 <= number <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return datetime.date(year, number, 1)
    return None


@dataclass(frozen=True)
class Heading:
    """What a column heading (or a Month cell) says: a month, a month still needing its year or its order
    (day or month first), or why it was not read as a month."""

    month: datetime.date | None = None
    month_number: int | None = None  # "Apr": the year is in the row above
    numeric: tuple[int, int, int] | None = None  # 03/04/2025: (3, 4, 2025), order decided over the whole run
    warning: str = ""
    reason: str = ""  # looked like a month but was not read as one

    @property
    def is_monthish(self):
        return bool(self.month or self.month_number or self.numeric)


def read_heading(value) -> Heading:
    try:
        return _read_heading(value)
    except TypeError:  # not hashable: never a heading
        return Heading()


@functools.lru_cache(maxsize=4096)  # a long file repeats the same few dozen months thousands of times
def _read_heading(value) -> Heading:
    month = parse_month(value)
    if month:
        return Heading(month=month)
    if not isinstance(value, str) or not value.strip():
        return Heading()
    text = _heading_text(value)
    if QUARTER.match(text):
        return Heading(reason="names a quarter, not a month, so its cells were not imported (head the column with "
                              "one month, e.g. Aug-25, if it holds that month's figures)")
    annotated = ANNOTATED.match(text)
    if annotated:
        inner = _read_heading(annotated["core"])
        if inner.is_monthish:
            return dataclasses.replace(inner, warning=f"“({annotated['note']})” after the month was set aside: check "
                                                      "these are the figures to hold")
    numeric = NUMERIC_DATE.match(text)
    if numeric:
        year = int(numeric["year"]) + (2000 if len(numeric["year"]) == 2 else 0)
        if FIRST_YEAR <= year <= LAST_YEAR:
            return Heading(numeric=(int(numeric["a"]), int(numeric["b"]), year))
    yearless = YEARLESS.match(text)
    if yearless and yearless["month"] in MONTHS:
        return Heading(month_number=MONTHS[yearless["month"]])
    if any(word in MONTHS for word in re.findall(r"[a-z]+", text)):
        return Heading(reason="is not only a month, so its cells were not imported (write the heading as a month, "
                              "e.g. Mar-25 or 2025-03)")
    return Heading()


def resolve_numeric_dates(dates: list[tuple[int, int, int]]) -> tuple[str | None, str]:
    """Day first ("dmy") or month first ("mdy") for a run of dates like 01/03/2025, decided by the run itself.

    A day over 12 settles it; so does a run in which every date is the 1st of its month, read one way only.
    Returns (order, why) or (None, why) when the run can be read both ways or neither."""
    day_first = any(a > 12 for a, b, _ in dates) or any(a == 1 and b != 1 for a, b, _ in dates)
    month_first = any(b > 12 for a, b, _ in dates) or any(b == 1 and a != 1 for a, b, _ in dates)
    if all(a == b for a, b, _ in dates):
        return "dmy", ""
    if day_first and not month_first:
        return "dmy", ""
    if month_first and not day_first:
        return "mdy", "these dates only make sense month first (US style, 11/01/2025 = 1 November 2025)"
    return None, "could be read day first or month first: write months as Nov-25 or 2025-11"


def numeric_month(date: tuple[int, int, int], order: str) -> datetime.date | None:
    a, b, year = date
    number = b if order == "dmy" else a
    return datetime.date(year, number, 1) if 1 <= number <= 12 else None


FINANCIAL_YEAR = re.compile(r"^(?:fy\s*)?(?P<first>\d{4})\s*[/\-]\s*(?P<second>\d{2}|\d{4})$")


def read_year(value) -> tuple[int, bool] | None:
    """(year, is financial year) from a heading above yearless months: 2025, "2025/26", "FY 2025-26"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = normalise(value).replace(" - ", "-")
    if re.fullmatch(r"\d{4}", text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text), False
    match = FINANCIAL_YEAR.match(text)
    if match and FIRST_YEAR <= int(match["first"]) <= LAST_YEAR:
        return int(match["first"]), True
    return None


# -- figures --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Reading:
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    error: str = ""
    skipped: str = ""  # the cell says there is no figure
    warning: str = ""


NOT_A_NUMBER = "is not a number: type the figure, or leave the cell empty if there is none."


def parse_value(cell: Cell, measure: Measure, *, decimal_comma: bool | None = False) -> Reading:
    raw = cell.value
    if raw == "=formula":
        return Reading(error="this cell has a formula whose result was never saved: open the file in Excel, "
                             "let it calculate, save it and upload it again (or type the value in).")
    percent = measure.unit == Unit.PERCENT
    unit = Unit(measure.unit).label.lower()
    if isinstance(raw, bool):
        return Reading(error=f"{raw} is not a number.")
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):
        return Reading(error=f"this cell holds a date or time ({raw}), not a figure.")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
        if not value.is_finite():
            return Reading(error=f"“{raw}” {NOT_A_NUMBER}")
        if "%" in cell.number_format:
            if not percent:
                return Reading(error=f"this cell is formatted as a percentage, but {measure.code} is a {unit}: remove "
                                     "the % format and type the figure.")
            value *= 100
        elif percent and 0 < value < 1:
            return Reading(error=f"{raw} looks like a fraction, not a percentage: enter {value * 100:g} or "
                                 f"{value * 100:g}% if that is what you mean.")
        return _checked(Reading(value=value), measure)
    text = CONTROL_CHARACTERS.sub("", str(raw)).replace("\xa0", " ").strip()
    if normalise(text) in NO_FIGURE or text in ("–", "—"):
        return Reading(skipped=f"“{text}” means no figure: nothing is stored, and any figure already held is kept.")
    if text.startswith("#"):
        return Reading(error=f"“{text}” is an error Excel shows for a formula: correct the formula, or leave the "
                             "cell empty if there is no figure.")
    warning = ""
    footnote = FOOTNOTE.match(text)
    if footnote:
        warning = (
            f"“{text}” read as {footnote['number'].strip()}: the footnote mark “{footnote['mark']}” was set aside."
        )
        text = footnote["number"].strip()
    fraction = FRACTION.match(text)
    if fraction:
        numerator, denominator = int(fraction["numerator"]), int(fraction["denominator"])
        if max(numerator, denominator) > LARGEST_COUNT:
            return Reading(error=f"“{text}”: a count over {LARGEST_COUNT:,} cannot be held; check the figure.")
        if denominator == 0:
            return Reading(error=f"“{text}” divides by zero.")
        value = Decimal(numerator) * (100 if percent else 1) / Decimal(denominator)
        return _checked(Reading(value.quantize(CENT), numerator, denominator, warning=warning), measure)
    is_percent_text = text.endswith("%")
    number = text.rstrip("%").strip()
    if decimal_comma is None and ("," in number or "." in number):
        return Reading(
            error=f"“{text}”: this file writes some decimals with a comma and some with a point, so "
            "neither can be read safely: save it again with one decimal mark and no thousands separators."
        )
    if decimal_comma:
        if "." in number:
            return Reading(error=f"“{text}”: this file writes decimals with a comma, so a point is not read: write "
                                 f"{number.replace('.', ',')} if that is the figure, with no thousands separator.")
        number = number.replace(",", ".")
    elif "," in number:
        return Reading(error=f"“{text}” has a comma: write the figure with a decimal point and no thousands separator "
                             f"(e.g. {number.replace(',', '.')} or {number.replace(',', '')}). A decimal comma is read "
                             "only in a CSV file saved with semicolons between fields.")
    try:
        value = Decimal(number)
    except InvalidOperation:
        return Reading(error=f"“{text}” is text where a number belongs.")
    if not value.is_finite():
        return Reading(error=f"“{text}” {NOT_A_NUMBER}")
    if is_percent_text and not percent:
        return Reading(error=f"“{text}” is a percentage but this measure is a {unit}.")
    if percent and not is_percent_text and 0 < value < 1:
        return Reading(error=f"{text} looks like a fraction, not a percentage: enter {value * 100:g} if that is "
                             "what you mean.")
    return _checked(Reading(value=value, warning=warning), measure)


def _checked(reading, measure):
    value = reading.value
    # The value rides along with these two refusals: a figure held like that already, re-imported as it is,
    # is unchanged rather than refused.
    if value < 0:
        return Reading(value=value, error=f"{value:g} is negative: a {Unit(measure.unit).label.lower()} cannot be.")
    if measure.unit == Unit.PERCENT and value > 100:
        return Reading(value=value, error=f"{value:g}% is over 100%.")
    if value > LARGEST_VALUE or value.quantize(CENT) > LARGEST_VALUE:
        return Reading(error=f"{value:g} is too large: the largest figure that can be held is {LARGEST_VALUE:,}.")
    reading.value = value.quantize(CENT)
    return reading


def whole_number_problem(value: Decimal, measure: Measure) -> str:
    if measure.unit == Unit.COUNT and value != value.to_integral_value():
        return f"{value.normalize():f} is not a whole number, but {measure.code} counts whole things: check the figure."
    return ""


def clean_note(value) -> str:
    return CONTROL_CHARACTERS.sub("", str(value)).strip() if value is not None else ""


# -- measures -------------------------------------------------------------------------------------


class MeasureIndex:
    """Finds a plan's measure by code or name (as people write it), and says which is closest when none is."""

    def __init__(self, plan):
        self.measures = list(plan.measures.all())
        self.by_code = {measure.code.lower(): measure for measure in self.measures}
        self.by_name = {}
        for measure in self.measures:
            key = normalise(measure.name)
            self.by_name[key] = None if key in self.by_name else measure  # two alike: neither is matched by name

    def lookup(self, text, role):
        text = str(text).strip()
        measure = self.by_code.get(text.lower()) if role in ("code", "any") else None
        return measure or self.by_name.get(normalise(text))

    def match(self, key_cells: list[tuple[Cell, str]]) -> tuple[Measure | None, str, Cell | None]:
        """The row's measure from its code and name cells; or None with why (a disagreement), and the cell."""
        found, unmatched_code = [], None
        for cell, role in key_cells:
            measure = self.lookup(cell.value, role)
            if measure:
                found.append((cell, measure))
            elif role == "code":
                unmatched_code = cell
        measures = {measure.pk for _, measure in found}
        if len(measures) > 1:
            (first, one), (second, other) = found[0], next(item for item in found if item[1] != found[0][1])
            return None, (f"“{first.value}” is {one.code} ({one.name}), but {second.where} “{second.value}” is "
                          f"{other.code} ({other.name}): the row's code and name disagree; correct one of them."), first
        if measures and unmatched_code is not None:
            measure = found[0][1]
            return (
                None,
                (
                    f"the code “{unmatched_code.value}” is not a code in this plan, but {found[0][0].where} names "
                    f"{measure.code} ({measure.name}): correct the code."
                ),
                unmatched_code,
            )
        if measures:
            return found[0][1], "", None
        return None, "", None

    def suggest(self, key) -> str:
        typed = str(key).strip()
        names = {measure.name: measure for measure in self.measures} | {m.code: m for m in self.measures}
        close = difflib.get_close_matches(typed.lower(), [name.lower() for name in names], n=3, cutoff=0.5)
        if not close:
            return ""
        originals = [next(name for name in names if name.lower() == lowered) for lowered in close]
        hint = ""
        matcher = difflib.SequenceMatcher(None, typed.lower(), close[0])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                yours, theirs = typed[i1:i2].strip(), originals[0][j1:j2].strip()
                hint = (f" (where the file has “{yours}”" if yours else " (where the file has nothing") + (
                    f", the plan has “{theirs}”)" if theirs else ", the plan has nothing)")
                break
        return f" Did you mean {' or '.join(f'“{name}”' for name in originals)}?{hint}"
