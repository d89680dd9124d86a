"""What changed in a plan between two dates: the board's "since we last met"."""

import datetime
from dataclasses import dataclass, field

from governance.dashboard import build_dashboard, end_of_day
from measures.models import Figure, format_value
from plans.models import ActionUpdate, DeadlineRevision, Plan


@dataclass
class Changes:
    since: datetime.date
    until: datetime.date
    updates: list
    status_moves: list  # (action then, action now)
    revisions: list
    figures_added: list
    figures_corrected: list  # (figure record, old value text, new value text)
    rag_moves: list  # (measure then, measure now)
    objective_moves: list  # (summary then, summary now)
    figures_deleted: list = field(default_factory=list)  # history records of figures an admin or an undo removed

    @property
    def is_empty(self):
        return not any(
            [self.updates, self.status_moves, self.revisions, self.figures_added, self.figures_corrected,
             self.rag_moves, self.objective_moves, self.figures_deleted]
        )


def changes_between(plan: Plan, since: datetime.date, until: datetime.date) -> Changes:
    start, end = end_of_day(since), end_of_day(until)
    before, after = build_dashboard(plan, since), build_dashboard(plan, until)

    then = {action.pk: action for action in before.actions}
    status_moves = [
        (then[action.pk], action)
        for action in after.actions
        if action.pk in then and then[action.pk].state != action.state
    ]
    measures_then = {measure.pk: measure for measure in before.measures}
    rag_moves = [
        (measures_then[measure.pk], measure)
        for measure in after.measures
        if measure.pk in measures_then and measures_then[measure.pk].rag_state.rag != measure.rag_state.rag
    ]
    objectives_then = {summary.objective.pk: summary for summary in before.objectives}
    objective_moves = [
        (objectives_then[summary.objective.pk], summary)
        for summary in after.objectives
        if summary.objective.pk in objectives_then and objectives_then[summary.objective.pk].is_slow != summary.is_slow
    ]

    measures = {measure.pk: measure for measure in after.measures}
    # By measure ids, not a join on the plan: PostgreSQL then reads the plan's rows by measure, not every
    # plan's rows of the period by date.
    figure_history = list(
        Figure.history.filter(measure_id__in=measures, history_date__gt=start, history_date__lte=end).order_by(
            "history_date"
        )
    )
    for record in figure_history:
        record.measure = measures[record.measure_id]
    added = [record for record in figure_history if record.history_type == "+"]
    deleted = [record for record in figure_history if record.history_type == "-"]
    for record in deleted:
        record.shown = format_value(record.value, record.measure.unit)
    corrected = []
    for record in figure_history:
        if record.history_type == "~":
            previous = record.prev_record
            old = format_value(previous.value, record.measure.unit) if previous else ""
            corrected.append((record, old, format_value(record.value, record.measure.unit)))

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
    )
