"""The plan as at a date: actions, measures, figures and objective summaries, under one of two questions.

    state = PlanState.at(plan, day, known=Known.NOW)   # what we know now about `day` (the default)
    state = PlanState.at(plan, day, known=Known.THEN)  # what the board saw on `day`

Figures: under Known.NOW, each figure for a month up to `day` as it stands today (a backfill imported
today or a later correction shows); under Known.THEN, only the figures recorded by the end of `day`, as
they were then. A measure's baseline, target and tolerance, and an admin's RAG override, are read as
they stood on `day` (the plan as first loaded counts from its publication under Known.NOW, see
plans.as_at), so a target changed mid-year never moves a past RAG. `figures_later` counts the figures
for months up to `day` entered or corrected after it: where the two questions differ, pages say so.

Results are frozen dataclasses; nothing is attached to model instances. Every reader of time (dashboard,
lists, measure pages, What changed, board reports, self-assessment, public page, API) comes through here
or plans.as_at. docs/architecture.md says where each rule lives.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from measures.models import Figure, Measure, MeasurePlacement, Rag, RagOverride, RagResult, is_stale
from plans.as_at import (
    ActionState,
    FirstLoad,
    Known,
    actions_at,
    end_of_day,
    first_loads,
    measure_links_at,
    records_as_of,
    today,
)
from plans.models import Brag, Objective, Plan, Status
from plans.months import add_months

BRAG_ORDER = [Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY]
# An objective is slow to progress when any of these is true (documented on the dashboard help page).
SLOW_SHARE_OVERDUE_OR_RED = 0.25
SLOW_MONTHS_WITHOUT_MOVEMENT = 3
SLOW_SHARE_MEASURES_RED = 0.5


@dataclass(frozen=True)
class MeasureState:
    """A measure as it stood on a day: its values then, its figures up to then, and their RAG."""

    measure: Measure  # baseline, target, tolerance as they stood on the day
    figures: tuple[Figure, ...]  # months up to the day, oldest first (only the last few where asked)
    rag: RagResult
    overridden: bool
    stale: bool
    objective_ids: tuple[int, ...] = ()

    @property
    def latest(self) -> Figure | None:
        return self.figures[-1] if self.figures else None

    @property
    def previous(self) -> Figure | None:
        return self.figures[-2] if len(self.figures) > 1 else None

    @property
    def latest_value(self):
        return self.latest.value if self.latest else None

    @property
    def latest_month(self):
        return self.latest.month if self.latest else None

    @property
    def previous_value(self):
        return self.previous.value if self.previous else None

    @property
    def pk(self):
        return self.measure.pk

    @property
    def code(self):
        return self.measure.code

    @property
    def name(self):
        return self.measure.name

    def get_absolute_url(self):
        return self.measure.get_absolute_url()

    def got_worse(self) -> bool:
        if self.latest_value is None or self.previous_value is None:
            return False
        return self.measure.is_better(self.previous_value, self.latest_value)

    def worse_than_baseline(self) -> bool:
        if self.latest_value is None or self.measure.baseline_value is None:
            return False
        return self.measure.is_better(self.measure.baseline_value, self.latest_value)


def measure_state(measure: Measure, figures, overrides: dict, day: datetime.date, objective_ids=()) -> MeasureState:
    """The one place the latest figure, the override for its month, its RAG and staleness are put together."""
    figures = tuple(figures)
    latest = figures[-1] if figures else None
    override = overrides.get((measure.pk, latest.month)) if latest else None
    return MeasureState(
        measure=measure,
        figures=figures,
        rag=measure.rag_with_override(
            latest.value if latest else None, override, figures[-2].value if len(figures) > 1 else None
        ),
        overridden=bool(override),
        stale=is_stale(latest.month if latest else None, day),
        objective_ids=tuple(objective_ids),
    )


@dataclass(frozen=True)
class ObjectiveSummary:
    """An objective's actions and measures on a day, counted, and why it is slow to progress (if it is)."""

    objective: Objective
    actions: list[ActionState]
    measures: list[MeasureState]
    brag_counts: Counter
    rag_counts: Counter
    slow_reasons: list[str]

    @property
    def is_slow(self):
        return bool(self.slow_reasons)


def summarise(objective, actions: list[ActionState], measures: list[MeasureState], day) -> ObjectiveSummary:
    return ObjectiveSummary(
        objective=objective,
        actions=actions,
        measures=measures,
        brag_counts=Counter(state.brag.brag for state in actions),
        rag_counts=Counter(state.rag.rag for state in measures),
        slow_reasons=slow_reasons(actions, measures, day),
    )


def slow_reasons(actions: list[ActionState], measures: list[MeasureState], day: datetime.date) -> list[str]:
    """Why an objective is slow to progress, in words; empty when it is not."""
    reasons = []
    rated = [state for state in measures if state.rag.rag != Rag.GREY]
    behind = [state for state in rated if state.rag.rag == Rag.RED or state.worse_than_baseline()]
    if rated and len(behind) / len(rated) >= SLOW_SHARE_MEASURES_RED:
        reasons.append(
            f"{len(behind)} of its {len(rated)} measures with figures are red or worse than their baseline "
            f"(the flag is raised at {SLOW_SHARE_MEASURES_RED:.0%})."
        )
    open_actions = [state.action for state in actions if state.action.status != Status.COMPLETE]
    if actions:
        red = [state for state in actions if state.brag.brag == Brag.RED]
        share = len(red) / len(actions)
        if share >= SLOW_SHARE_OVERDUE_OR_RED:
            reasons.append(
                f"{len(red)} of {len(actions)} actions ({share:.0%}) are overdue or off track "
                f"(the flag is raised at {SLOW_SHARE_OVERDUE_OR_RED:.0%})."
            )
    moved = [action.last_update_at.date() for action in open_actions if action.last_update_at]
    stale_since = add_months(day.replace(day=1), -SLOW_MONTHS_WITHOUT_MOVEMENT)
    if open_actions and (not moved or max(moved) < stale_since):
        reasons.append(
            f"None of its {len(open_actions)} open actions has been updated for over "
            f"{SLOW_MONTHS_WITHOUT_MOVEMENT} months."
        )
    return reasons


def measures_at(measures, day: datetime.date, known: Known = Known.NOW, *, last: int | None = None,
                loads=None) -> list[MeasureState]:
    """The states of `measures` (Measure rows of any plans, with their plan, in the order given) on `day`:
    their values then (for a past day: the plans' first loads and the history, two queries), their
    placements, their figures, the overrides. With `last`, only each measure's latest `last` figures
    (enough for its RAG and its change), chosen in SQL."""
    measures = list(measures)
    ids = [measure.pk for measure in measures]
    if day >= today():
        then = {measure.pk: measure for measure in measures}
    else:
        if loads is None:
            loads = first_loads({measure.plan for measure in measures}, day, known)
        records = records_as_of(Measure, day, loads, "plan").filter(id__in=ids).as_instances()
        then = {measure.pk: measure for measure in records}
    placed = {}
    for measure_id, objective_id in MeasurePlacement.objects.filter(measure_id__in=ids).order_by(
        "objective__number"
    ).values_list("measure_id", "objective_id"):
        placed.setdefault(measure_id, []).append(objective_id)
    figures = figures_at(ids, day, known, last=last)
    overrides = overrides_at(ids, day, known)
    states = []
    for measure in measures:
        if measure.pk not in then:
            continue  # not yet in the plan on that day
        values = then[measure.pk]
        values.plan = measure.plan  # the plan already fetched: no query per measure for its address
        states.append(measure_state(values, figures.get(measure.pk, []), overrides, day, placed.get(measure.pk, ())))
    return states


def figure_rows(day: datetime.date, known: Known = Known.NOW, **filters):
    """A queryset of the figures matching `filters` for months up to `day`: as they stand now (Known.NOW) or
    as recorded by the end of `day` (Known.THEN; history records, whose `.instance` is the figure then)."""
    if known == Known.NOW or day >= today():
        rows = Figure.objects.filter(**filters)
    else:
        rows = Figure.history.filter(history_date__lte=end_of_day(day)).latest_of_each().exclude(history_type="-")
        rows = rows.filter(**filters)
    return rows.filter(month__lte=day)


def figures_at(measure_ids, day: datetime.date, known: Known = Known.NOW, *, last=None) -> dict[int, list[Figure]]:
    """{measure id: its figures for months up to `day`, oldest first}, in one query."""
    rows = figure_rows(day, known, measure_id__in=measure_ids)
    if last:
        newest_first = Window(RowNumber(), partition_by=[F("measure_id")], order_by=F("month").desc())
        rows = rows.annotate(newest=newest_first).filter(newest__lte=last)
    by_measure = {}
    for row in rows.order_by("month"):
        figure = getattr(row, "instance", row)
        by_measure.setdefault(figure.measure_id, []).append(figure)
    return by_measure


def overrides_at(measure_ids, day: datetime.date, known: Known = Known.NOW) -> dict[tuple[int, datetime.date], str]:
    """{(measure id, month): the overriding RAG}: today's overrides under Known.NOW (a judgement on a
    month's figure, like a correction), those set by the end of `day` under Known.THEN."""
    if known == Known.NOW or day >= today():
        rows = RagOverride.objects.filter(measure_id__in=measure_ids)
    else:
        rows = RagOverride.history.filter(history_date__lte=end_of_day(day)).latest_of_each()
        rows = rows.exclude(history_type="-").filter(measure_id__in=measure_ids)
    return {(measure_id, month): rag for measure_id, month, rag in rows.values_list("measure_id", "month", "rag")}


def figures_recorded_later(measure_ids, day: datetime.date) -> int:
    """How many figures for months up to `day` were entered, corrected or deleted after the end of it (one query).
    A figure saved again with the same value (a re-import, a note added) was not corrected."""
    if day >= today():
        return 0
    later = Figure.history.filter(measure_id__in=measure_ids, month__lte=day, history_date__gt=end_of_day(day))
    before = Figure.history.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("-history_date", "-history_id")
    resaved = Q(history_type="~", value=Subquery(before.values("value")[:1]))
    return later.exclude(resaved).values("id").distinct().count()


@dataclass
class PlanState:
    """Where a plan stood on a day, under one of the two questions (plans.as_at.Known)."""

    plan: Plan
    day: datetime.date
    known: Known
    actions: list[ActionState]
    measures: list[MeasureState]
    objectives: list[ObjectiveSummary]
    figures_later: int = 0
    loads: tuple[FirstLoad, ...] = ()  # the plan's first load, where it counts from its publication on the day
    _by_pk: dict = field(default_factory=dict, repr=False)

    @classmethod
    def at(cls, plan: Plan, day: datetime.date, known: Known = Known.NOW) -> "PlanState":
        objectives = list(plan.objectives.select_related("lead_post", "plan"))
        loads = first_loads([plan], day, known)
        actions = actions_at(objectives, day, known, loads=loads)
        measures = measures_at(plan.measures.select_related("plan").order_by("code"), day, known, loads=loads)
        by_objective = {objective.pk: [] for objective in objectives}
        for state in actions:
            by_objective[state.action.objective_id].append(state)
        measures_by_objective = {}
        for state in measures:
            for objective_id in state.objective_ids:
                measures_by_objective.setdefault(objective_id, []).append(state)
        summaries = [
            summarise(objective, by_objective[objective.pk], measures_by_objective.get(objective.pk, []), day)
            for objective in sorted(objectives, key=lambda objective: objective.number)
        ]
        return cls(
            plan=plan, day=day, known=known, actions=actions, measures=measures, objectives=summaries,
            figures_later=figures_recorded_later([state.pk for state in measures], day), loads=tuple(loads),
        )

    @property
    def brag_counts(self) -> Counter:
        return Counter(state.brag.brag for state in self.actions)

    @property
    def rag_counts(self) -> Counter:
        return Counter(state.rag.rag for state in self.measures)

    def measure_links(self) -> dict[int, list[MeasureState]]:
        """{action id: the states of the measures it was linked to on the day} (one query)."""
        links = measure_links_at([state.pk for state in self.actions], self.day, self.loads)
        return {
            action_id: [self.measure(pk) for pk in measure_ids if self.measure(pk)]
            for action_id, measure_ids in links.items()
        }

    def measure(self, pk) -> MeasureState | None:
        if not self._by_pk:
            self._by_pk.update((state.pk, state) for state in self.measures)
        return self._by_pk.get(pk)
