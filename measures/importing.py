"""Read monthly figures from an Excel workbook or CSV file, check them all, then commit all or nothing.

Two layouts are understood on any sheet: the template's (one row per measure, one column per
month) and the long one (one row per measure and month: measure, month, value, note). Every
problem names the sheet and cell, e.g. Figures!C14, in words a performance officer understands.
"""

import datetime
import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from measures.models import Figure, FigureImport, Measure, Unit, format_value
from measures.workbooks import Cell, FileProblem, read_rows
from plans.models import Plan

MONTHS = {name.lower(): number for number, name in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"]) if name}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH_PATTERNS = [
    re.compile(r"^(?P<month>[a-z]+)[\s\-/]+(?P<year>\d{2}|\d{4})$"),  # Mar-25, Mar 2025, March 2025
    re.compile(r"^(?P<year>\d{4})-(?P<number>\d{1,2})(-\d{1,2})?$"),  # 2025-03, 2025-03-01
    re.compile(r"^(?P<number>\d{1,2})/(?P<year>\d{4})$"),  # 03/2025
    re.compile(r"^\d{1,2}/(?P<number>\d{1,2})/(?P<year>\d{4})$"),  # 01/03/2025 (UK day first)
]
FRACTION = re.compile(r"^(?P<numerator>\d+)\s*(?:/|of|out of)\s*(?P<denominator>\d+)$", re.IGNORECASE)
LONG_HEADERS = {"measure", "code", "month", "value"}
FIRST_YEAR, LAST_YEAR = 1900, 2999  # a month outside these is a typing slip, never a figure's month
# The database's bounds (Figure.value: 12 digits, 2 after the point; numerator and denominator:
# PostgreSQL integers; Figure.note: 500 characters), checked here so that no write can fail.
LARGEST_VALUE = Decimal("9999999999.99")
LARGEST_COUNT = 2_147_483_647
NOTE_LENGTH = Figure._meta.get_field("note").max_length
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FIGURE_FIELDS = ["value", "numerator", "denominator", "note", "entered_by", "source_import", "entered_at"]


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Change:
    """What the file says for one measure and month, beside the figure held (old).

    value None: the file gives only a note. numerator/denominator None: the file gives no fraction, so a
    held one stays while the value is the same. note None: the file has no note for it, so the held note stays."""

    measure: Measure
    month: datetime.date
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    note: str | None
    where: str
    old: Figure | None = None

    @property
    def value_changed(self):
        if self.old is None:
            return True
        if self.value is None:
            return False
        if self.value != self.old.value:  # Decimal: 82.6 == 82.60
            return True
        return self.denominator is not None and (self.numerator, self.denominator) != (
            self.old.numerator, self.old.denominator)

    @property
    def note_changed(self):
        return self.note is not None and self.note != (self.old.note if self.old else "")

    @property
    def kind(self):
        if self.old is None:
            return "new"
        if self.value_changed:
            return "changed"
        if self.note_changed:
            return "note"
        return "unchanged"

    @property
    def new_note(self):
        if self.note is not None:
            return self.note
        return self.old.note if self.old else ""

    @property
    def display(self):
        if self.value is None:
            return self.old.display if self.old else ""
        shown = format_value(self.value, self.measure.unit)
        return f"{shown} ({self.numerator} of {self.denominator})" if self.denominator else shown

    def apply(self, figure: Figure):
        if self.value_changed:
            figure.value = self.value
            # A fraction the file does not give would no longer match the new value.
            figure.numerator, figure.denominator = self.numerator, self.denominator
        figure.note = self.new_note


KINDS = ("new", "changed", "note", "unchanged")


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    layout: str = ""

    def of_kind(self, kind):
        return [change for change in self.changes if change.kind == kind]

    @property
    def counts(self):
        counts = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def can_commit(self):
        return not self.errors and any(change.kind != "unchanged" for change in self.changes)


# -- understanding the cells --------------------------------------------------------------------


def parse_month(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        number = int(parts["number"]) if parts.get("number") else MONTHS.get(parts.get("month", ""))
        year = int(parts["year"])
        year += 2000 if len(parts["year"]) == 2 else 0
        if number and 1 <= number <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return datetime.date(year, number, 1)
    return None


@dataclass
class Reading:
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    error: str = ""


def parse_value(cell: Cell, measure: Measure) -> Reading:
    raw = cell.value
    if raw == "=formula":
        return Reading(error="this cell has a formula whose result was never saved: open the file in Excel, "
                             "let it calculate, save it and upload it again (or type the value in).")
    percent = measure.unit == Unit.PERCENT
    if isinstance(raw, bool):
        return Reading(error=f"{raw} is not a number.")
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(str(raw))
        if not value.is_finite():
            return Reading(error=f"“{raw}” is not a number: type the figure, or leave the cell empty if there is none.")
        if percent and "%" in cell.number_format:
            value *= 100
        elif percent and 0 < value < 1:
            return Reading(error=f"{raw} looks like a fraction, not a percentage: enter {value * 100:g} or "
                                 f"{value * 100:g}% if that is what you mean.")
        return _checked(Reading(value=value), measure)
    text = str(raw).strip()
    fraction = FRACTION.match(text)
    if fraction:
        numerator, denominator = int(fraction["numerator"]), int(fraction["denominator"])
        if max(numerator, denominator) > LARGEST_COUNT:
            return Reading(error=f"“{text}”: a count over {LARGEST_COUNT:,} cannot be held; check the figure.")
        if denominator == 0:
            return Reading(error=f"“{text}” divides by zero.")
        value = Decimal(numerator) * (100 if percent else 1) / Decimal(denominator)
        return _checked(Reading(value.quantize(Decimal("0.01")), numerator, denominator), measure)
    is_percent_text = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%").replace(",", "").strip())
    except InvalidOperation:
        return Reading(error=f"“{text}” is text where a number belongs.")
    if not value.is_finite():
        return Reading(error=f"“{text}” is not a number: type the figure, or leave the cell empty if there is none.")
    if is_percent_text and not percent:
        return Reading(error=f"“{text}” is a percentage but this measure is a {measure.get_unit_display().lower()}.")
    if percent and not is_percent_text and 0 < value < 1:
        return Reading(error=f"{text} looks like a fraction, not a percentage: enter {value * 100:g} if that is "
                             "what you mean.")
    return _checked(Reading(value=value), measure)


def _checked(reading, measure):
    value = reading.value
    if value < 0:
        return Reading(error=f"{value:g} is negative: a {measure.get_unit_display().lower()} cannot be.")
    if measure.unit == Unit.PERCENT and value > 100:
        return Reading(error=f"{value:g}% is over 100%.")
    if value > LARGEST_VALUE or value.quantize(Decimal("0.01")) > LARGEST_VALUE:
        return Reading(error=f"{value:g} is too large: the largest figure that can be held is {LARGEST_VALUE:,}.")
    reading.value = value.quantize(Decimal("0.01"))
    return reading


class MeasureIndex:
    """Finds a plan's measure by code or exact name, and suggests the closest when none matches."""

    def __init__(self, plan):
        self.measures = list(plan.measures.all())
        self.by_key = {}
        for measure in self.measures:
            self.by_key[measure.code.lower()] = measure
            self.by_key[measure.name.strip().lower()] = measure

    def find(self, *keys):
        for key in keys:
            if key is not None and str(key).strip().lower() in self.by_key:
                return self.by_key[str(key).strip().lower()]
        return None

    def suggest(self, key):
        names = [measure.name for measure in self.measures] + [measure.code for measure in self.measures]
        close = difflib.get_close_matches(str(key), names, n=3, cutoff=0.5)
        return f" Did you mean {' or '.join(f'“{name}”' for name in close)}?" if close else ""


# -- building the preview -----------------------------------------------------------------------


def preview_file(*, plan: Plan, content: bytes, file_name: str, today: datetime.date | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Preview:
    """Everything the file would change, and every problem in it. Writes nothing."""
    preview = Preview()
    today = today or timezone.localdate()
    try:
        sheets = read_rows(content, file_name)
    except FileProblem as problem:
        preview.errors.append(Problem("", str(problem)))
        return preview
    index = MeasureIndex(plan)
    readings = []
    data_sheets = {name: rows for name, rows in sheets.items() if name.strip().lower() != "instructions"}
    for sheet_name, rows in data_sheets.items():
        rows = [row for row in rows if any(cell.value not in (None, "") for cell in row)]
        if not rows:
            if len(data_sheets) == 1 or sheet_name.lower() == "figures":
                preview.errors.append(Problem(sheet_name, "this sheet is empty: there are no figures to import."))
            continue
        header = [_text(cell.value) for cell in rows[0]]
        if LONG_HEADERS & set(header) >= {"month", "value"}:
            preview.layout = "long"
            readings += _read_long(sheet_name, rows, header, index, preview)
        else:
            preview.layout = "template"
            readings += _read_wide(sheet_name, rows, index, preview)
    _add_changes(plan, readings, preview, today, progress)
    return preview


def _text(value):
    return str(value).strip().lower() if value is not None else ""


def _read_long(sheet_name, rows, header, index, preview):
    columns = {name: position for position, name in enumerate(header) if name}
    readings = []
    for row in rows[1:]:
        def cell(name):
            position = columns.get(name)
            return row[position] if position is not None and position < len(row) else None

        key_cells = [c for c in (cell("code"), cell("measure")) if c is not None and c.value not in (None, "")]
        month_cell, value_cell, note_cell = cell("month"), cell("value"), cell("note")
        if not key_cells:
            where = row[0].where if row else sheet_name
            preview.errors.append(Problem(where, "this row has a value but no measure code or name."))
            continue
        measure = index.find(*(c.value for c in key_cells))
        if measure is None:
            preview.errors.append(Problem(key_cells[0].where, f"no measure in this plan is called “{key_cells[0].value}”."
                                          + index.suggest(key_cells[0].value)))
            continue
        if month_cell is None or month_cell.value in (None, ""):
            preview.errors.append(Problem(key_cells[0].where, "this row has no month."))
            continue
        month = parse_month(month_cell.value)
        if month is None:
            preview.errors.append(Problem(month_cell.where, f"“{month_cell.value}” is not a month (use e.g. Mar-25 or 2025-03)."))
            continue
        if value_cell is None or value_cell.value in (None, ""):
            continue
        note = None if "note" not in columns else ""  # no note column: the held notes stay as they are
        if note_cell is not None and note_cell.value is not None:
            note = CONTROL_CHARACTERS.sub("", str(note_cell.value)).strip()
            if len(note) > NOTE_LENGTH:
                preview.errors.append(Problem(note_cell.where, f"this note is {len(note)} characters long: a note can "
                                                               f"hold {NOTE_LENGTH}; shorten it."))
                continue
        readings.append((measure, month, value_cell, note))
    return readings


def _read_wide(sheet_name, rows, index, preview):
    header = rows[0]
    month_columns = {}
    for position, cell in enumerate(header):
        month = parse_month(cell.value)
        if month:
            month_columns[position] = month
    if not month_columns:
        preview.errors.append(Problem(sheet_name, "no column heading is a month, and there are no Month and Value "
                                                  "columns: use the template from the Import figures page."))
        return []
    key_positions = [position for position, cell in enumerate(header) if _text(cell.value) in ("code", "measure")]
    if not key_positions:
        key_positions = [0]
    readings = []
    for row in rows[1:]:
        keys = [row[position] for position in key_positions if position < len(row)]
        values = [(row[position], month) for position, month in month_columns.items()
                  if position < len(row) and row[position].value not in (None, "")]
        if not values:
            continue
        measure = index.find(*(cell.value for cell in keys))
        if measure is None:
            first = next((cell for cell in keys if cell.value not in (None, "")), keys[0] if keys else row[0])
            if first.value in (None, ""):
                preview.errors.append(Problem(first.where, "this row has figures but no measure code or name."))
            else:
                preview.errors.append(Problem(first.where, f"no measure in this plan is called “{first.value}”."
                                              + index.suggest(first.value)))
            continue
        readings += [(measure, month, cell, None) for cell, month in values]
    return readings


def _add_changes(plan, readings, preview, today, progress):
    existing = {(figure.measure_id, figure.month): figure for figure in Figure.objects.filter(measure__plan=plan)}
    seen = {}
    for number, (measure, month, cell, note) in enumerate(readings, start=1):
        if progress and number % 500 == 0:
            progress(number, len(readings))
        if month > today.replace(day=1):
            preview.errors.append(Problem(cell.where, f"{month:%B %Y} is in the future: figures are for months that "
                                                      "have happened."))
            continue
        if (measure.pk, month) in seen:
            preview.errors.append(Problem(cell.where, f"{measure.code} for {month:%B %Y} is already given at "
                                                      f"{seen[measure.pk, month]}: keep one of them."))
            continue
        seen[measure.pk, month] = cell.where
        reading = parse_value(cell, measure)
        if reading.error:
            preview.errors.append(Problem(cell.where, f"{measure.code} {month:%b %Y}: {reading.error}"))
            continue
        preview.changes.append(Change(measure, month, reading.value, reading.numerator, reading.denominator, note,
                                      cell.where, existing.get((measure.pk, month))))
    if progress:
        progress(len(readings), len(readings))
    preview.changes.sort(key=lambda change: (change.measure.code, change.month))


# -- committing ---------------------------------------------------------------------------------


class ImportRefused(Exception):
    def __init__(self, preview, *, stale=(), unconfirmed=False):
        super().__init__("The file still has problems, so nothing was imported.")
        self.preview = preview
        self.stale = list(stale)
        self.unconfirmed = unconfirmed


def written_since(*, preview: Preview, since: datetime.datetime) -> list[Problem]:
    """Figures this import would write that someone else wrote after `since` (when its preview was built).

    Read from the figures' history, so every kind of write counts: a save, another import, a correction, a
    deletion or an undo."""
    wanted = {(change.measure.pk, change.month): change for change in preview.changes if change.kind != "unchanged"}
    if not wanted:
        return []
    records = (
        Figure.history.filter(measure_id__in={measure_id for measure_id, _ in wanted}, history_date__gt=since)
        .select_related("history_user")
        .order_by("history_date")
    )
    latest = {(record.measure_id, record.month): record for record in records if (record.measure_id, record.month) in wanted}
    stale = []
    for key, record in latest.items():
        change = wanted[key]
        who = record.history_user.get_username() if record.history_user else "someone"
        done = {"+": "entered", "~": "changed", "-": "deleted"}[record.history_type]
        now = "" if record.history_type == "-" else f" (now {format_value(record.value, change.measure.unit)})"
        stale.append(Problem(change.where, f"{change.measure.code} {change.month:%b %Y} was {done} by {who} at "
                                           f"{timezone.localtime(record.history_date):%H:%M on %d %b %Y}{now}, after "
                                           "this preview was made."))
    return sorted(stale, key=lambda problem: problem.where)


def save_upload(*, plan: Plan, content: bytes, file_name: str, user) -> FigureImport:
    return FigureImport.objects.create(
        plan=plan,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


def commit_import(*, upload: FigureImport, user, today: datetime.date | None = None,
                  previewed_at: datetime.datetime | None = None, confirmed: bool = False) -> Preview:
    """Apply every figure in the file in one transaction, or none if any problem remains.

    previewed_at: when the preview the admin approved was built; a figure written by anyone since then
    refuses the commit (the admin checks the new preview), so nobody's figures are overwritten unseen.
    confirmed: the admin ticked that the preview's warnings are understood."""
    with transaction.atomic():
        # Lock the plan: two admins committing at once run one after the other, never interleaved.
        Plan.objects.select_for_update().get(pk=upload.plan_id)
        upload = FigureImport.objects.select_for_update().get(pk=upload.pk)
        if upload.state != FigureImport.State.PREVIEWED:
            raise ImportRefused(Preview(errors=[Problem("", f"This file has already been {upload.get_state_display().lower()}.")]))
        preview = preview_file(plan=upload.plan, content=bytes(upload.content), file_name=upload.file_name, today=today)
        if preview.errors:
            raise ImportRefused(preview)
        if previewed_at is not None:
            stale = written_since(preview=preview, since=previewed_at)
            if stale:
                raise ImportRefused(preview, stale=stale)
        if preview.warnings and not confirmed:
            raise ImportRefused(preview, unconfirmed=True)
        new, changed = [], []
        for change in preview.changes:
            if change.kind == "unchanged":
                continue
            figure = change.old or Figure(measure=change.measure, month=change.month)
            change.apply(figure)
            figure.entered_by, figure.source_import = user, upload
            figure.entered_at = timezone.now()
            (changed if change.old else new).append(figure)
        # In bulk, each with its history row: 10,000 figures commit in about a second.
        bulk_create_with_history(new, Figure, batch_size=500, default_user=user)
        bulk_update_with_history(changed, Figure, FIGURE_FIELDS, batch_size=500, default_user=user)
        counts = preview.counts
        upload.state = FigureImport.State.COMMITTED
        upload.committed_at = timezone.now()
        # A note-only change counts as changed here; the preview and the message tell them apart.
        upload.created_count, upload.changed_count, upload.unchanged_count = (
            counts["new"], counts["changed"] + counts["note"], counts["unchanged"])
        upload.save()
    return preview
