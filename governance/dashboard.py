"""The board's dashboard: what it sees first, as at any date, under either question (measures.as_at)."""

import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from measures.as_at import BRAG_ORDER, RAG_ORDER, MeasureState, PlanState
from measures.models import Rag
from plans.as_at import ActionState, Known, end_of_day
from plans.models import Action, Status
from plans.months import add_months, end_of_month, months_between


@dataclass
class Dashboard:
    state: PlanState
    no_impact: list[tuple[ActionState, list[MeasureState]]]

    @property
    def plan(self):
        return self.state.plan

    @property
    def as_at(self):
        return self.state.day

    @property
    def actions(self):
        return self.state.actions

    @property
    def measures(self):
        return self.state.measures

    @property
    def objectives(self):
        return self.state.objectives

    @property
    def brag_counts(self):
        return self.state.brag_counts

    @property
    def rag_counts(self):
        return self.state.rag_counts

    @property
    def overdue(self):
        return [state for state in self.actions if state.overdue]

    @property
    def due_soon(self):
        return [state for state in self.actions if state.due_soon]

    @property
    def update_due(self):
        return [state for state in self.actions if state.update_due]

    @property
    def replanned(self):
        return [state for state in self.actions if state.action.replan_count]

    @property
    def months_slipped(self):
        return sum(
            months_between(state.action.deadline, state.action.revised_deadline)
            for state in self.replanned
            if state.action.deadline and state.action.revised_deadline
        )

    @property
    def off_target(self):
        return [state for state in self.measures if state.rag.rag == Rag.RED]

    @property
    def worse(self):
        return [state for state in self.measures if state.got_worse()]

    @property
    def days_to_deadline(self):
        if not self.plan.delivery_deadline:
            return None
        return (self.plan.delivery_deadline - self.as_at).days

    @property
    def brag_rows(self):
        return [(brag, self.brag_counts.get(brag, 0)) for brag in BRAG_ORDER]

    @property
    def rag_rows(self):
        return [(rag, self.rag_counts.get(rag, 0)) for rag in RAG_ORDER]

    @property
    def slow_objectives(self):
        return [summary for summary in self.objectives if summary.is_slow]


def build_dashboard(plan, as_at: datetime.date, known: Known = Known.NOW, state: PlanState | None = None) -> Dashboard:
    state = state or PlanState.at(plan, as_at, known)
    return Dashboard(state=state, no_impact=complete_without_impact(state))


def complete_without_impact(state: PlanState) -> list[tuple[ActionState, list[MeasureState]]]:
    """Complete actions none of whose linked measures has improved since the action started, with the links they
    had on the day (two queries)."""
    links = state.measure_links()
    complete = [item for item in state.actions if item.action.status == Status.COMPLETE and links.get(item.pk)]
    first_updates = dict(
        Action.objects.filter(pk__in=[item.pk for item in complete], updates__isnull=False)
        .annotate(first=Min("updates__created_at"))
        .values_list("pk", "first")
    ) if complete else {}
    flagged = []
    for item in complete:
        first = first_updates.get(item.pk)
        started = timezone.localtime(first).date().replace(day=1) if first else state.plan.published
        improved = False
        for measure in links[item.pk]:
            before = [figure.value for figure in measure.figures if started and figure.month < started]
            start_value = before[-1] if before else measure.measure.baseline_value
            latest = measure.latest_value
            if latest is not None and start_value is not None and measure.measure.is_better(latest, start_value):
                improved = True
        if not improved:
            flagged.append((item, links[item.pk]))
    return flagged


def burn_up(state: PlanState) -> tuple[list[datetime.date], list[int], list[int]]:
    """Month by month: actions due by then (deadlines as they stood on the day), and actions complete by then."""
    plan, as_at = state.plan, state.day
    first = plan.published or datetime.date(as_at.year, 1, 1)
    months = []
    month = first.replace(day=1)
    while month <= as_at:
        months.append(month)
        month = add_months(month, 1)
    completions = _completion_dates(plan, as_at)
    deadlines = [item.action.deadline for item in state.actions]
    due, complete = [], []
    for month in months:
        closing = min(end_of_month(month), as_at)
        due.append(sum(1 for deadline in deadlines if deadline and end_of_month(deadline) <= closing))
        complete.append(sum(1 for done in completions if done <= closing))
    return months, due, complete


def _completion_dates(plan, as_at: datetime.date) -> list[datetime.date]:
    """When each action first became complete (recorded when its update was posted: the same for both questions)."""
    first_complete = (
        Action.history.filter(objective__plan=plan, status=Status.COMPLETE, history_date__lte=end_of_day(as_at))
        .values("id")
        .annotate(first=Min("history_date"))
    )
    return [timezone.localtime(row["first"]).date() for row in first_complete]
