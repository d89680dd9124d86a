"""An admin puts figures right: undoes a whole import, or corrects or deletes one figure, always with a reason.

Every change is written to the figure's history with who and why, and nothing later is overwritten in
silence: a figure changed since the admin looked at it is refused, not overwritten.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from measures.models import Figure, FigureImport, format_value
from plans.models import Plan


def figure_state(figure) -> tuple:
    """What a figure says: the part the board reads, compared to tell whether it changed."""
    return figure.value, figure.numerator, figure.denominator, figure.note


def latest_version(figure_pk: int) -> int | None:
    """The figure's latest history record id: every write adds one, so it changes whenever the figure does."""
    return Figure.history.filter(id=figure_pk).order_by("-history_id").values_list("history_id", flat=True).first()


# -- undoing an import ------------------------------------------------------------------------


@dataclass
class Restore:
    """One figure an import wrote: what it wrote, what was there before (None: the import created it), and now."""

    written: object
    before: object | None
    current: Figure | None

    @property
    def measure(self):
        return self.written.measure

    @property
    def month(self) -> datetime.date:
        return self.written.month

    @property
    def created(self) -> bool:
        return self.written.history_type == "+"

    @property
    def blocked_by(self) -> str:
        """Why undoing this figure would lose something (blank when it is safe)."""
        if self.current is None:
            return "deleted since the import"
        if figure_state(self.current) != figure_state(self.written):
            return "changed since the import"
        if not self.created and self.before is None:
            return "no record of what it was before the import"
        return ""

    def shown(self, record) -> str:
        if record is None:
            return "no figure"
        shown = format_value(record.value, self.measure.unit)
        if record.numerator is not None and record.denominator:
            shown = f"{shown} ({record.numerator} of {record.denominator})"
        return f"{shown}, note “{record.note}”" if record.note else shown

    @property
    def now_text(self):
        return self.shown(self.current) if self.current else "deleted"

    @property
    def written_text(self):
        return self.shown(self.written)

    @property
    def before_text(self):
        return self.shown(self.before)


@dataclass
class UndoPlan:
    batch: FigureImport
    restores: list[Restore]

    def __post_init__(self):
        # Sorted once, as found: the undo then changes the figures these look at.
        self.safe = [restore for restore in self.restores if not restore.blocked_by]
        self.blocked = [restore for restore in self.restores if restore.blocked_by]


class UndoRefused(Exception):
    def __init__(self, message, undo_plan=None):
        super().__init__(message)
        self.message = message
        self.undo_plan = undo_plan


def plan_undo(batch: FigureImport) -> UndoPlan:
    """Each figure the import wrote, what it was before and what it is now, in measure and month order."""
    figures = Figure.history.model
    # Only the import's own write of each figure: a later record may still name the import (it is the figure's
    # source until something else writes it), but it is a later change, not what the import wrote.
    written = {}
    for record in figures.objects.filter(source_import_id=batch.pk, history_type__in=["+", "~"]).order_by("history_id"):
        written.setdefault(record.id, record)
    before = {}
    earlier = figures.objects.filter(id__in=written).order_by("history_id")
    for record in earlier:
        if record.history_id < written[record.id].history_id:
            before[record.id] = record
    current = Figure.objects.in_bulk(list(written))
    measures = {measure.pk: measure for measure in batch.plan.measures.all()}
    restores = []
    for figure_id, record in written.items():
        record.measure = measures[record.measure_id]
        previous = before.get(figure_id)
        restores.append(Restore(written=record, before=previous, current=current.get(figure_id)))
    restores.sort(key=lambda restore: (restore.measure.code, restore.month))
    return UndoPlan(batch=batch, restores=restores)


def undo_import(*, batch: FigureImport, admin, reason: str, skip_changed: bool = False) -> UndoPlan:
    """Put every figure the import wrote back as it was before, in one transaction, or change nothing.

    A figure changed since the import (by a later import or a correction) is never overwritten: the undo is
    refused, listing them, unless the admin chose to undo only the others (`skip_changed`).
    """
    reason = reason.strip()
    if not reason:
        raise UndoRefused("Enter the reason for undoing this import.")
    with transaction.atomic():
        # The plan first, as a commit locks it: an import and an undo on one plan run one after the other.
        Plan.objects.select_for_update().get(pk=batch.plan_id)
        now = timezone.now()
        # Claimed in one conditional UPDATE, so of two admins undoing at once exactly one does.
        claimed = FigureImport.objects.filter(pk=batch.pk, state=FigureImport.State.COMMITTED).update(
            state=FigureImport.State.UNDONE, undone_at=now, undone_by=admin, undo_reason=reason
        )
        batch.refresh_from_db()
        if not claimed:
            if batch.state == FigureImport.State.UNDONE:
                who = batch.undone_by.get_full_name() or batch.undone_by.username
                when = timezone.localtime(batch.undone_at)
                raise UndoRefused(f"This import was already undone on {when:%d %B %Y at %H:%M} by {who}.")
            raise UndoRefused("This file was never imported, so there is nothing to undo.")
        # Lock the figures it wrote before reading them: none can change between the check and the write.
        written = Figure.history.filter(source_import_id=batch.pk).values("id")
        list(Figure.objects.select_for_update().filter(pk__in=written).values_list("pk", flat=True))
        undo = plan_undo(batch)
        blocked = undo.blocked
        if blocked and not skip_changed:
            raise UndoRefused(
                f"{len(blocked)} figure{'s' if len(blocked) != 1 else ''} this import wrote "
                f"{'have' if len(blocked) != 1 else 'has'} changed since, so nothing was undone.",
                undo,
            )
        uploaded = timezone.localtime(batch.uploaded_at)
        history_reason = f"Undo of import {batch.file_name} ({uploaded:%d %b %Y %H:%M}): {reason}"
        restored = []
        for restore in undo.safe:
            figure = restore.current
            if restore.created:
                figure._history_user, figure._change_reason = admin, history_reason
                figure.delete()
                continue
            before = restore.before
            figure.value, figure.numerator, figure.denominator, figure.note = figure_state(before)
            figure.entered_by_id, figure.source_import_id = before.entered_by_id, before.source_import_id
            figure.entered_at = now
            restored.append(figure)
        # One plain UPDATE a figure: Django's bulk_update builds CASE expressions that cost seconds for an import.
        for figure in restored:
            Figure.objects.filter(pk=figure.pk).update(
                value=figure.value, numerator=figure.numerator, denominator=figure.denominator, note=figure.note,
                entered_by=figure.entered_by_id, source_import=figure.source_import_id, entered_at=figure.entered_at,
            )
        Figure.history.bulk_history_create(
            restored, batch_size=500, update=True, default_user=admin, default_change_reason=history_reason
        )
        batch.restored_count, batch.kept_count = len(undo.safe), len(blocked)
        batch.save(update_fields=["restored_count", "kept_count"])
    return undo


# -- one figure -------------------------------------------------------------------------------


class StaleFigure(Exception):
    """The figure changed (or went) after the admin opened it: their change is refused, not applied."""

    def __init__(self, figure, current):
        self.figure, self.current = figure, current
        if current is None:
            message = "This figure was deleted after you opened it, so your change was not saved."
        else:
            message = (
                f"This figure was changed by someone else after you opened it (it is now "
                f"{current.display}{', note “' + current.note + '”' if current.note else ''}), so your change was "
                "not saved. Check the figure as it is now and make your change again if it is still needed."
            )
        super().__init__(message)
        self.message = message


def _claim(figure: Figure, expected_version: int | None) -> Figure:
    """Lock the figure's row, then check nobody wrote it since `expected_version`; returns it as it is now."""
    # The UPDATE takes the row's write lock first (SQLite and PostgreSQL alike), so the check below sees every
    # write committed before it and none can slip in between the check and this change.
    if not Figure.objects.filter(pk=figure.pk).update(entered_at=F("entered_at")):
        raise StaleFigure(figure, None)
    current = Figure.objects.select_related("measure").get(pk=figure.pk)
    if expected_version is not None and latest_version(figure.pk) != expected_version:
        raise StaleFigure(figure, current)
    return current


def correct_figure(
    *,
    figure: Figure,
    admin,
    value: Decimal,
    note: str,
    reason: str,
    numerator: int | None = None,
    denominator: int | None = None,
    expected_version: int | None = None,
) -> Figure:
    """Replace a figure's value and note, with the reason in its history; refused if it changed since it was read."""
    with transaction.atomic():
        current = _claim(figure, expected_version)
        current.value, current.numerator, current.denominator, current.note = value, numerator, denominator, note
        current.entered_by, current.source_import = admin, None
        current._history_user, current._change_reason = admin, reason.strip()
        current.save()
    return current


def delete_figure(*, figure: Figure, admin, reason: str, expected_version: int | None = None) -> None:
    """Remove a wrong figure: its history keeps every value it had and a last record saying who deleted it and why."""
    with transaction.atomic():
        current = _claim(figure, expected_version)
        current._history_user, current._change_reason = admin, reason.strip()
        current.delete()


# -- what the measure page shows --------------------------------------------------------------


def figure_corrections(measure) -> dict:
    """{figure id: its latest history record} for the measure's figures last changed with a reason (a correction
    or an undo), so the page can say who changed the figure and why."""
    latest = {}
    for record in Figure.history.filter(measure=measure).select_related("history_user").order_by("history_id"):
        latest[record.id] = record
    return {figure_id: record for figure_id, record in latest.items()
            if record.history_type == "~" and record.history_change_reason}


def deleted_figures(measure, months_held) -> list:
    """The measure's figures an admin (or an undo) deleted, for months that hold no figure now, newest first."""
    records = [record for record in Figure.history.filter(measure=measure, history_type="-").select_related(
        "history_user") if record.month not in months_held]
    for record in records:
        record.shown = format_value(record.value, measure.unit)
    return sorted(records, key=lambda record: record.month, reverse=True)
