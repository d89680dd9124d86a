"""Read monthly figures from an Excel workbook or CSV file, check them all, then commit all or nothing.

Every cell of the file is accounted for in the preview: imported, unchanged, skipped with the reason, or
an error naming the sheet and cell (the layouts read are in import_sheets, single cells in import_cells).
"""

import bisect
import datetime
import hashlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from measures.import_cells import MeasureIndex, normalise, parse_month, parse_value, whole_number_problem
from measures.import_sheets import FileFigure, Problem, read_sheet
from measures.models import Figure, FigureImport, Measure, Unit, format_value
from measures.workbooks import FileProblem, read_rows
from plans.models import Plan

__all__ = ["ImportRefused", "Preview", "Problem", "commit_import", "parse_month", "parse_value", "preview_file",
           "save_upload"]

FIGURE_FIELDS = ["value", "numerator", "denominator", "note", "entered_by", "source_import", "entered_at"]
# Warnings: a change this many times the measure's usual month-to-month change, or a percentage moving
# this many points, is asked about before it is imported.
JUMP_FACTOR, JUMP_POINTS, RECENT_MONTHS = 3, 20, 6


@dataclass(slots=True)
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
    committed_counts: dict | None = None  # fixed before a commit writes: the held figures then match the file

    def of_kind(self, kind):
        return [change for change in self.changes if change.kind == kind]

    @property
    def counts(self):
        if self.committed_counts is not None:
            return self.committed_counts
        counts = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def can_commit(self):
        return not self.errors and any(change.kind != "unchanged" for change in self.changes)


# -- reading the sheets -----------------------------------------------------------------------------


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
    found = []
    data_sheets = [sheet for sheet in sheets if normalise(sheet.name) != "instructions"]
    for sheet in data_sheets:
        found += read_sheet(sheet, index, preview, only_sheet=len(data_sheets) == 1)
    if not found and not preview.errors and not preview.skipped:
        where = data_sheets[0].name if data_sheets else ""
        preview.errors.append(Problem(where, "no column heading is a month, and there are no Month and Value columns: "
                                             "use the template from the Import figures page."))
    _add_changes(found, preview, today, progress)
    return preview


# -- comparing with the figures held ---------------------------------------------------------------


def _add_changes(found: list[FileFigure], preview, today, progress):
    # Only the measures in the file: their held figures are compared, and their recent run checked for jumps.
    measure_ids = {item.measure.pk for item in found}
    held = Figure.objects.filter(measure_id__in=measure_ids)
    existing = {(figure.measure_id, figure.month): figure for figure in held}
    values, notes = {}, {}
    for item in found:
        key = (item.measure.pk, item.month)
        if item.cell is not None:
            if key in values:
                preview.errors.append(Problem(item.cell.where, f"{item.measure.code} for {item.month:%B %Y} is already "
                                                               f"given at {values[key].cell.where}: keep one of them."))
                continue
            values[key] = item
        if item.note is not None:
            if key in notes and notes[key].note_cell is not item.note_cell:
                said = f"the note for {item.measure.code} {item.month:%B %Y} is already given at"
                preview.errors.append(Problem(item.note_cell.where, f"{said} {notes[key].note_cell.where}: keep one "
                                                                    "of them."))
                continue
            notes[key] = item
    keys = list(values) + [key for key in notes if key not in values]
    last_month = today.replace(day=1)
    for number, key in enumerate(keys, start=1):
        if progress and number % 500 == 0:
            progress(number, len(keys))
        item = values.get(key) or notes[key]
        note_item = notes.get(key)
        measure, month, old = item.measure, item.month, existing.get(key)
        where = item.cell.where if item.cell is not None else item.note_cell.where
        if month > last_month:
            preview.errors.append(Problem(where, f"{month:%B %Y} is in the future: figures are for months that have "
                                                 "happened."))
            continue
        note = note_item.note if note_item else None
        if item.cell is None:
            if old is None:
                preview.errors.append(Problem(where, f"a note for {measure.code} {month:%B %Y}, which has no figure: "
                                                     "add the figure, or remove the note."))
                continue
            preview.changes.append(Change(measure, month, None, None, None, note, where, old))
            continue
        reading = parse_value(item.cell, measure, decimal_comma=item.decimal_comma)
        if reading.skipped:
            preview.skipped.append(Problem(where, f"{measure.code} {month:%b %Y}: {reading.skipped}"))
            continue
        held_as_is = old is not None and reading.value is not None and old.value == reading.value
        problem = reading.error or whole_number_problem(reading.value, measure)
        if problem and not held_as_is:
            preview.errors.append(Problem(where, f"{measure.code} {month:%b %Y}: {problem}"))
            continue
        if reading.warning:
            preview.warnings.append(Problem(where, f"{measure.code} {month:%b %Y}: {reading.warning}"))
        preview.changes.append(Change(measure, month, reading.value, reading.numerator, reading.denominator, note,
                                      where, old))
    if progress:
        progress(len(keys), len(keys))
    preview.changes.sort(key=lambda change: (change.measure.code, change.month))
    if not preview.errors:
        _warn(preview, existing)


def _warn(preview, existing):
    """Changes a person should look at before they are imported: a big jump from the measure's recent run,
    a month before its baseline, a figure already corrected once."""
    changing = [change for change in preview.changes if change.value_changed]
    if not changing:
        return
    series = {}
    for (measure_id, month), figure in existing.items():
        series.setdefault(measure_id, {})[month] = figure.value
    for change in preview.changes:
        if change.value is not None:
            series.setdefault(change.measure.pk, {})[change.month] = change.value
    ordered = {measure_id: sorted(months.items(), key=_first) for measure_id, months in series.items()}
    corrected = set(
        Figure.history.filter(id__in=[change.old.pk for change in changing if change.old])
        .values("id")
        .annotate(held_values=Count("value", distinct=True))
        .filter(held_values__gt=1)
        .values_list("id", flat=True)
    )
    baselines = {}
    for change in changing:
        measure = change.measure
        if measure.pk not in baselines:
            baselines[measure.pk] = parse_month(measure.baseline_period) if measure.baseline_period else None
        baseline = baselines[measure.pk]
        if baseline and change.month < baseline:
            preview.warnings.append(Problem(change.where, f"{measure.code} {change.month:%b %Y} is before the "
                                                          f"measure's baseline ({baseline:%B %Y})."))
        if change.old is not None and change.old.pk in corrected:
            preview.warnings.append(Problem(change.where, f"{measure.code} {change.month:%b %Y} has been corrected "
                                                          "before: this would change it again."))
        jump = _jump(ordered[measure.pk], change.month, change.value, measure)
        if jump:
            preview.warnings.append(Problem(change.where, f"{measure.code} {change.month:%b %Y}: {jump}"))


def _first(item):
    return item[0]


def _jump(run, month, value, measure):
    at = bisect.bisect_left(run, month, key=_first)
    earlier = [held for _, held in run[max(0, at - RECENT_MONTHS - 1):at]]
    if not earlier:
        return ""
    previous = earlier[-1]
    move = abs(value - previous)
    shown = format_value(previous, measure.unit)
    if measure.unit == Unit.PERCENT and move >= JUMP_POINTS:
        return f"{format_value(value, measure.unit)} moves {move.normalize():f} points from {shown} the month before."
    steps = [abs(b - a) for a, b in zip(earlier, earlier[1:], strict=False)]
    if len(steps) >= 2:
        usual = statistics.median(steps)
        if usual > 0 and move > JUMP_FACTOR * usual:
            return (f"{format_value(value, measure.unit)} is a change of {move.normalize():f} from {shown}, over "
                    f"{JUMP_FACTOR} times the usual monthly change ({Decimal(usual).normalize():f}).")
    return ""


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
    latest = {(r.measure_id, r.month): r for r in records if (r.measure_id, r.month) in wanted}
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
            done = upload.get_state_display().lower()
            raise ImportRefused(Preview(errors=[Problem("", f"This file has already been {done}.")]))
        preview = preview_file(plan=upload.plan, content=bytes(upload.content), file_name=upload.file_name, today=today)
        if preview.errors:
            raise ImportRefused(preview)
        if previewed_at is not None:
            stale = written_since(preview=preview, since=previewed_at)
            if stale:
                raise ImportRefused(preview, stale=stale)
        if preview.warnings and not confirmed:
            raise ImportRefused(preview, unconfirmed=True)
        preview.committed_counts = preview.counts
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
