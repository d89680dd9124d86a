"""Where a plan stands on any date, rebuilt from the history: what the board sees first.

Everything here takes an `as_at` date. For today it reads the current rows; for a past date it
reads each action as its history recorded it at the end of that day, so the board can see what it
would have seen at its last meeting.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Max, Min, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from measures.models import Figure, Measure, Rag, RagOverride, latest_expected_month
from plans.models import Action, ActionOwner, ActionUpdate, Brag, Evidence, Objective, Plan, Status, end_of_month

BRAG_ORDER = [Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY]
# An objective is slow to progress when any of these is true (documented on the dashboard help page).
SLOW_SHARE_OVERDUE_OR_RED = 0.25
SLOW_MONTHS_WITHOUT_MOVEMENT = 3
SLOW_SHARE_MEASURES_RED = 0.5


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def records_as_at(history, as_at: datetime.date, **filters):
    """The last history record of each object by the end of `as_at`, leaving out deleted ones."""
    latest = (
        history.filter(history_date__lte=end_of_day(as_at), **filters)
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    return history.filter(history_id__in=latest).exclude(history_type="-")


def rows_as_at(model, as_at: datetime.date, **filters):
    """A queryset of the `model` rows matching `filters` as at the end of `as_at`: today's rows, or history records."""
    if as_at >= timezone.localdate():
        return model.objects.filter(**filters)
    return records_as_at(model.history, as_at, **filters)


def actions_as_at(plan: Plan, as_at: datetime.date) -> list[Action]:
    """Each action of the plan as it stood at the end of `as_at` (current rows for today or later)."""
    return actions_of(plan.objectives.select_related("lead_post"), as_at)


def actions_of(objectives, as_at: datetime.date, owners=True) -> list[Action]:
    """The actions of these objectives (of any plans) as they stood at the end of `as_at`, in plan order."""
    objectives = {objective.pk: objective for objective in objectives}
    actions = with_states(action_rows_as_at(as_at, objective_id__in=objectives), objectives, as_at)
    if owners:
        posts = owners_as_at([action.pk for action in actions], as_at)
        for action in actions:
            action.owners_then = posts.get(action.pk, [])
    return sorted(actions, key=lambda action: action.sort_key)


def owners_as_at(action_ids, as_at: datetime.date) -> dict[int, list[str]]:
    """{action id: the names of its owner posts, in order} as they stood at the end of `as_at`, in one query."""
    rows = rows_as_at(ActionOwner, as_at, action_id__in=action_ids)
    owners = {}
    for action_id, name in rows.order_by("order", "post__name").values_list("action_id", "post__name"):
        owners.setdefault(action_id, []).append(name)
    return owners


def action_rows_as_at(as_at: datetime.date, **filters):
    """A queryset of the actions matching `filters` as at the end of `as_at`, leaving out withdrawn ones."""
    return rows_as_at(Action, as_at, **filters).filter(withdrawn_at__isnull=True)


def with_states(rows, objectives: dict, as_at: datetime.date) -> list[Action]:
    """Actions from rows of action_rows_as_at, each with its objective and its BRAG state on `as_at`."""
    actions = [getattr(row, "instance", row) for row in rows]
    for action in actions:
        action.objective = objectives[action.objective_id]
        action.state = action.brag(as_at)
    return actions


def latest_updates(action_ids, as_at: datetime.date, evidence=False) -> dict[int, ActionUpdate]:
    """{action id: its latest update posted by the end of `as_at`} in one query (two with its evidence)."""
    newest = ActionUpdate.objects.filter(action_id=OuterRef("action_id"), created_at__lte=end_of_day(as_at))
    updates = ActionUpdate.objects.filter(
        action_id__in=action_ids, pk=Subquery(newest.order_by("-created_at", "-pk").values("pk")[:1])
    )
    if evidence:
        updates = updates.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    return {update.action_id: update for update in updates}


def figures_as_at(plan: Plan, as_at: datetime.date) -> dict[int, list[Figure]]:
    """{measure id: its figures, oldest first} as they were recorded by the end of `as_at`."""
    return figures_of(as_at, measure__plan=plan)


def figures_of(as_at: datetime.date, last: int | None = None, **filters) -> dict[int, list[Figure]]:
    """{measure id: its figures, oldest first}, for the figures matching `filters`, as recorded by the end of `as_at`.

    With `last`, only each measure's latest `last` figures (enough for its RAG and its change), chosen in SQL.
    """
    rows = figure_rows_as_at(as_at, **filters)
    if last:
        newest_first = Window(RowNumber(), partition_by=[F("measure_id")], order_by=F("month").desc())
        rows = rows.annotate(newest=newest_first).filter(newest__lte=last)
    by_measure = {}
    for row in rows.order_by("month"):
        figure = getattr(row, "instance", row)
        by_measure.setdefault(figure.measure_id, []).append(figure)
    return by_measure


def figure_rows_as_at(as_at: datetime.date, **filters):
    """A queryset of the figures matching `filters`, for months up to `as_at`, as recorded by the end of it."""
    return rows_as_at(Figure, as_at, **filters).filter(month__lte=as_at)


def measures_as_at(plan: Plan, as_at: datetime.date, figures: dict[int, list[Figure]]) -> list[Measure]:
    """The plan's measures with their latest and previous figures and RAG as at `as_at`."""
    measures = list(plan.measures.prefetch_related("placements", "objectives").order_by("code"))
    return set_measure_states(measures, figures, overrides_as_at(as_at, measure__plan=plan), as_at)


def overrides_as_at(as_at: datetime.date, **filters):
    """The admins' RAG overrides matching `filters` as they stood at the end of `as_at`."""
    return rows_as_at(RagOverride, as_at, **filters)


def set_measure_states(measures: list[Measure], figures, overrides, as_at: datetime.date) -> list[Measure]:
    """Give each measure its latest and previous figure, RAG with its reason, and staleness, as at `as_at`."""
    overrides = {(o.measure_id, o.month): o.rag for o in overrides}
    for measure in measures:
        series = figures.get(measure.pk, [])
        latest = series[-1] if series else None
        measure.latest_month = latest.month if latest else None
        measure.latest_value = latest.value if latest else None
        measure.previous_value = series[-2].value if len(series) > 1 else None
        measure.override_rag = overrides.get((measure.pk, measure.latest_month))
        measure.rag_state = measure.latest_rag()
        measure.stale = measure.latest_month is None or measure.latest_month < latest_expected_month(as_at)
    return measures


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class ObjectiveSummary:
    objective: Objective
    actions: list[Action]
    brag_counts: Counter
    measures: list[Measure] = field(default_factory=list)
    rag_counts: Counter = field(default_factory=Counter)
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
    measures: list[Measure] = field(default_factory=list)
    rag_counts: Counter = field(default_factory=Counter)
    off_target: list[Measure] = field(default_factory=list)
    worse: list[Measure] = field(default_factory=list)
    no_impact: list[tuple[Action, list[Measure]]] = field(default_factory=list)
    figures: dict[int, list[Figure]] = field(default_factory=dict)

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


def slow_reasons(actions: list[Action], measures: list[Measure], as_at: datetime.date) -> list[str]:
    """Why an objective is slow to progress, in words; empty when it is not."""
    reasons = []
    rated = [measure for measure in measures if measure.rag_state.rag != Rag.GREY]
    behind = [measure for measure in rated if measure.rag_state.rag == Rag.RED or _worse_than_baseline(measure)]
    if rated and len(behind) / len(rated) >= SLOW_SHARE_MEASURES_RED:
        reasons.append(
            f"{len(behind)} of its {len(rated)} measures with figures are red or worse than their baseline "
            f"(the flag is raised at {SLOW_SHARE_MEASURES_RED:.0%})."
        )
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


def _worse_than_baseline(measure):
    if measure.latest_value is None or measure.baseline_value is None:
        return False
    return measure.is_better(measure.baseline_value, measure.latest_value)


def complete_without_impact(actions, figures):
    """Complete actions none of whose linked measures has improved since the action started."""
    flagged = []
    for action in actions:
        linked = list(action.linked_measures)
        if action.status != Status.COMPLETE or not linked:
            continue
        started = action.started_month
        improved = False
        for measure in linked:
            series = figures.get(measure.pk, [])
            before = [figure.value for figure in series if figure.month < started]
            start_value = before[-1] if before else measure.baseline_value
            if series and start_value is not None and measure.is_better(series[-1].value, start_value):
                improved = True
        if not improved:
            flagged.append((action, linked))
    return flagged


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def build_dashboard(plan: Plan, as_at: datetime.date) -> Dashboard:
    plan_objectives = list(plan.objectives.select_related("lead_post"))
    actions = actions_of(plan_objectives, as_at, owners=False)
    figures = figures_as_at(plan, as_at)
    measures = measures_as_at(plan, as_at, figures)
    _link_measures(plan, actions, measures)
    by_objective = {objective: [] for objective in plan_objectives}
    for action in actions:
        by_objective.setdefault(action.objective, []).append(action)
    measures_by_objective = {}
    for measure in measures:
        for placement in measure.placements.all():
            measures_by_objective.setdefault(placement.objective_id, []).append(measure)
    objectives = []
    for objective, objective_actions in sorted(by_objective.items(), key=lambda item: item[0].number):
        objective_measures = measures_by_objective.get(objective.pk, [])
        objectives.append(
            ObjectiveSummary(
                objective=objective,
                actions=objective_actions,
                brag_counts=Counter(action.state.brag for action in objective_actions),
                measures=objective_measures,
                rag_counts=Counter(measure.rag_state.rag for measure in objective_measures),
                slow_reasons=slow_reasons(objective_actions, objective_measures, as_at),
            )
        )
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
        measures=measures,
        rag_counts=Counter(measure.rag_state.rag for measure in measures),
        off_target=[measure for measure in measures if measure.rag_state.rag == Rag.RED],
        worse=[measure for measure in measures if measure.got_worse()],
        no_impact=complete_without_impact(actions, figures),
        figures=figures,
    )


def _link_measures(plan, actions, measures):
    """Give each action its linked measures (with their states) and the month it started, in two queries."""
    by_pk = {measure.pk: measure for measure in measures}
    links = Action.measures.through.objects.filter(action__objective__plan=plan).values_list("action_id", "measure_id")
    linked = {}
    for action_id, measure_id in links:
        linked.setdefault(action_id, []).append(by_pk[measure_id])
    first_updates = dict(
        Action.objects.for_plan(plan)
        .filter(updates__isnull=False)
        .annotate(first=Min("updates__created_at"))
        .values_list("pk", "first")
    )
    for action in actions:
        action.linked_measures = linked.get(action.pk, [])
        first = first_updates.get(action.pk)
        action.started_month = timezone.localtime(first).date().replace(day=1) if first else plan.published


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
