"""What changed in a plan between two dates: the board's "since we last met".

The start is what the board saw then (Known.THEN); the end is what had been recorded by it (Known.THEN, for
the page) or the board report's own state (Known.NOW when it is issued). So a backfill imported in the
period shows as figures added in it, and a RAG it moves as a move in it.
"""

import datetime
from dataclasses import dataclass, field

from measures.as_at import PlanState
from measures.models import Figure, format_value
from plans.as_at import Known, end_of_day
from plans.models import ActionUpdate, DeadlineRevision, Plan


@dataclass
class Changes:
    since: datetime.date
    until: datetime.date
    updates: list
    status_moves: list  # (action state then, action state now)
    revisions: list
    figures_added: list
    figures_corrected: list  # (figure record, old value text, new value text)
    rag_moves: list  # (measure state then, measure state now)
    objective_moves: list  # (summary then, summary now)
    figures_deleted: list = field(default_factory=list)  # (figure record, value text): removed by an admin or an undo
    notes_changed: list = field(default_factory=list)  # (figure record, value text, old note, new note)

    @property
    def is_empty(self):
        return not any(
            [self.updates, self.status_moves, self.revisions, self.figures_added, self.figures_corrected,
             self.rag_moves, self.objective_moves, self.figures_deleted, self.notes_changed]
        )


def changes_between(plan: Plan, since: datetime.date, until: datetime.date, after: PlanState | None = None) -> Changes:
    """`after`: the plan's state on `until` when the caller has it already (a board report); else Known.THEN."""
    start, end = end_of_day(since), end_of_day(until)
    before = PlanState.at(plan, since, Known.THEN)
    after = after or PlanState.at(plan, until, Known.THEN)

    then = {state.pk: state for state in before.actions}
    status_moves = [
        (then[state.pk], state) for state in after.actions if state.pk in then and then[state.pk].brag != state.brag
    ]
    measures_then = {state.pk: state for state in before.measures}
    rag_moves = [
        (measures_then[state.pk], state)
        for state in after.measures
        if state.pk in measures_then and measures_then[state.pk].rag.rag != state.rag.rag
    ]
    objectives_then = {summary.objective.pk: summary for summary in before.objectives}
    objective_moves = [
        (objectives_then[summary.objective.pk], summary)
        for summary in after.objectives
        if summary.objective.pk in objectives_then and objectives_then[summary.objective.pk].is_slow != summary.is_slow
    ]
    added, corrected, deleted, notes = _figure_changes(plan, start, end)
    return Changes(
        since=since,
        until=until,
        updates=list(
            ActionUpdate.objects.filter(action__objective__plan=plan, created_at__gt=start, created_at__lte=end)
            .select_related("action__objective__plan", "author")
            .order_by("-created_at")
        ),
        status_moves=status_moves,
        revisions=list(
            DeadlineRevision.objects.filter(action__objective__plan=plan, requested_at__gt=start, requested_at__lte=end)
            .select_related("action__objective__plan")
            .order_by("-requested_at")
        ),
        figures_added=added,
        figures_corrected=corrected,
        rag_moves=rag_moves,
        objective_moves=objective_moves,
        figures_deleted=deleted,
        notes_changed=notes,
    )


def _figure_changes(plan, start, end):
    """Figures added, corrected (with the value before), deleted, and whose note alone changed in the period, in
    three queries. A figure saved again with the same value (82.6 and 82.60 are one value) is not a correction."""
    measures = {measure.pk: measure for measure in plan.measures.all()}
    # By measure ids, not a join on the plan: PostgreSQL then reads the plan's rows by measure, not every
    # plan's rows of the period by date.
    records = list(
        Figure.history.filter(measure_id__in=measures, history_date__gt=start, history_date__lte=end).order_by(
            "history_date", "history_id"
        )
    )
    for record in records:
        record.measure = measures[record.measure_id]  # already fetched: no query per record
    corrected_ids = {record.id for record in records if record.history_type == "~"}
    # Every record of the corrected figures up to the end, oldest first: each correction's previous value
    # is the record before it (one query, not one per correction).
    earlier = {}
    history = Figure.history.filter(id__in=corrected_ids, history_date__lte=end)
    for record in history.order_by("history_date", "history_id"):
        earlier.setdefault(record.id, []).append(record)
    added, corrected, deleted, notes = [], [], [], []
    for record in records:
        shown = format_value(record.value, record.measure.unit)
        if record.history_type == "+":
            added.append(record)
        elif record.history_type == "-":
            deleted.append((record, shown))
        else:
            chain = [r.history_id for r in earlier[record.id]]
            position = chain.index(record.history_id)
            previous = earlier[record.id][position - 1] if position else None
            if previous is not None and previous.value == record.value:
                if previous.note != record.note:
                    notes.append((record, shown, previous.note, record.note))
                continue
            corrected.append((record, format_value(previous.value, record.measure.unit) if previous else "", shown))
    return added, corrected, deleted, notes
