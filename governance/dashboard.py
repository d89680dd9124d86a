"""Where a plan stands on any date, rebuilt from the history: what the board sees first.

Everything here takes an `as_at` date. For today it reads the current rows; for a past date it
reads each action as its history recorded it at the end of that day, so the board can see what it
would have seen at its last meeting.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils import timezone

from plans.models import Action, Brag, Objective, Plan, Status, end_of_month

BRAG_ORDER = [Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY]
# An objective is slow to progress when any of these is true (documented on the dashboard help page).
SLOW_SHARE_OVERDUE_OR_RED = 0.25
SLOW_MONTHS_WITHOUT_MOVEMENT = 3


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def actions_as_at(plan: Plan, as_at: datetime.date) -> list[Action]:
    """Each action of the plan as it stood at the end of `as_at` (current rows for today or later)."""
    objectives = {objective.pk: objective for objective in plan.objectives.select_related("lead_post")}
    if as_at >= timezone.localdate():
        actions = list(Action.objects.for_plan(plan).prefetch_related("owners"))
    else:
        latest = (
            Action.history.filter(history_date__lte=end_of_day(as_at), objective_id__in=objectives)
            .values("id")
            .annotate(last=Max("history_id"))
            .values("last")
        )
        records = Action.history.filter(history_id__in=latest).exclude(history_type="-")
        actions = [record.instance for record in records]
    for action in actions:
        action.objective = objectives[action.objective_id]
        action.state = action.brag(as_at)
    return sorted(actions, key=lambda action: action.sort_key)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class ObjectiveSummary:
    objective: Objective
    actions: list[Action]
    brag_counts: Counter
    slow_reasons: list[str] = field(default_factory=list)

    @property
    def is_slow(self):
        return bool(self.slow_reasons)


@dataclass
class Dashboard:
    plan: Plan
    as_at: datetime.date
    actions: list[Action]
    brag_counts: Counter
    objectives: list[ObjectiveSummary]
    overdue: list[Action]
    due_soon: list[Action]
    update_due: list[Action]
    replanned: list[Action]
    months_slipped: int

    @property
    def days_to_deadline(self):
        if not self.plan.delivery_deadline:
            return None
        return (self.plan.delivery_deadline - self.as_at).days

    @property
    def brag_rows(self):
        return [(brag, self.brag_counts.get(brag, 0)) for brag in BRAG_ORDER]

    @property
    def slow_objectives(self):
        return [summary for summary in self.objectives if summary.is_slow]


def slow_reasons(actions: list[Action], as_at: datetime.date) -> list[str]:
    """Why an objective is slow to progress, in words; empty when it is not."""
    reasons = []
    open_actions = [action for action in actions if action.status != Status.COMPLETE]
    if actions:
        behind = [action for action in actions if action.state.brag == Brag.RED]
        share = len(behind) / len(actions)
        if share >= SLOW_SHARE_OVERDUE_OR_RED:
            reasons.append(
                f"{len(behind)} of {len(actions)} actions ({share:.0%}) are overdue or off track "
                f"(the flag is raised at {SLOW_SHARE_OVERDUE_OR_RED:.0%})."
            )
    moved = [action.last_update_at.date() for action in open_actions if action.last_update_at]
    stale_since = add_months(as_at.replace(day=1), -SLOW_MONTHS_WITHOUT_MOVEMENT)
    if open_actions and (not moved or max(moved) < stale_since):
        reasons.append(
            f"None of its {len(open_actions)} open actions has been updated for over "
            f"{SLOW_MONTHS_WITHOUT_MOVEMENT} months."
        )
    return reasons


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def build_dashboard(plan: Plan, as_at: datetime.date) -> Dashboard:
    actions = actions_as_at(plan, as_at)
    by_objective = {}
    for action in actions:
        by_objective.setdefault(action.objective, []).append(action)
    objectives = [
        ObjectiveSummary(
            objective=objective,
            actions=objective_actions,
            brag_counts=Counter(action.state.brag for action in objective_actions),
            slow_reasons=slow_reasons(objective_actions, as_at),
        )
        for objective, objective_actions in sorted(by_objective.items(), key=lambda item: item[0].number)
    ]
    soon = end_of_month(add_months(as_at.replace(day=1), 3))
    replanned = [action for action in actions if action.replan_count]
    return Dashboard(
        plan=plan,
        as_at=as_at,
        actions=actions,
        brag_counts=Counter(action.state.brag for action in actions),
        objectives=objectives,
        overdue=[action for action in actions if action.is_overdue(as_at)],
        due_soon=[
            action
            for action in actions
            if action.status != Status.COMPLETE and action.due_date and as_at <= action.due_date <= soon
        ],
        update_due=[action for action in actions if action.update_is_due(as_at)],
        replanned=replanned,
        months_slipped=sum(months_between(action.deadline, action.revised_deadline) for action in replanned),
    )


def burn_up(plan: Plan, as_at: datetime.date) -> tuple[list[datetime.date], list[int], list[int]]:
    """Month by month: actions due by then, and actions complete by then (from the history)."""
    first = plan.published or datetime.date(as_at.year, 1, 1)
    months = []
    month = first.replace(day=1)
    while month <= as_at:
        months.append(month)
        month = add_months(month, 1)
    due, complete = [], []
    completions = _completion_dates(plan, as_at)
    deadlines = list(Action.objects.for_plan(plan).values_list("deadline", flat=True))
    for month in months:
        closing = min(end_of_month(month), as_at)
        due.append(sum(1 for deadline in deadlines if deadline and end_of_month(deadline) <= closing))
        complete.append(sum(1 for done in completions if done <= closing))
    return months, due, complete


def _completion_dates(plan: Plan, as_at: datetime.date) -> list[datetime.date]:
    """When each action (still complete at `as_at`) first became complete."""
    first_complete = (
        Action.history.filter(
            objective__plan=plan, status=Status.COMPLETE, history_date__lte=end_of_day(as_at)
        )
        .values("id")
        .annotate(first=Min("history_date"))
    )
    return [timezone.localtime(row["first"]).date() for row in first_complete]
