"""Time, in one place: a plan's actions and history as at any date, under one of two questions.

Every fact has the period it is about (a figure's month, an update's date) and the moment it was
recorded (its history record). "As at D" answers one of two questions (docs/architecture.md):

- `Known.NOW`, what we know now about D (the default): actions and owners as they were on D; a plan's
  first load counts from its publication, so a plan loaded today still has its actions on any date
  since it was published; anything changed later counts from when it was recorded.
- `Known.THEN`, what the board saw on D: only what had been recorded by the end of D.

This module holds the generic history helpers and the actions' part; `measures.as_at` adds figures,
measures and objective summaries on top (PlanState).
"""

import datetime
import enum
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from plans.models import Action, ActionOwner, ActionUpdate, Evidence, PlanVersion
from plans.models.plan import BragState

# The links an action had when each of its history records was made (simple-history's m2m history).
ActionMeasureRecord = Action.history.model.measures.model


class Known(enum.StrEnum):
    NOW = "now"  # what we know now about the day
    THEN = "then"  # what had been recorded by the end of the day: what the board saw

    @classmethod
    def parse(cls, value: str | None) -> "Known":
        return cls.THEN if value == cls.THEN else cls.NOW


def today() -> datetime.date:
    return timezone.localdate()


def never_after_today(day: datetime.date) -> datetime.date:
    """An as-at date is never in the future: the rule every page and the API share."""
    return min(day, today())


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@dataclass(frozen=True)
class FirstLoad:
    """A plan published on `published` (None: it gives no date) and first loaded at `loaded_at`: that load is
    about its publication."""

    plan_id: int
    published: datetime.date | None
    loaded_at: datetime.datetime


def first_loads(plans, day: datetime.date, known: Known) -> list[FirstLoad]:
    """The first loads of `plans` that count on `day` under `known` (only Known.NOW, only past days, only from
    the plan's publication, or on any day for a plan that gives no publication date): one query."""
    published = {plan.pk: plan.published for plan in plans if not plan.published or plan.published <= day}
    if known != Known.NOW or day >= today() or not published:
        return []
    loads = PlanVersion.objects.filter(plan__in=published, number=1, issued_at__isnull=False)
    return [FirstLoad(plan_id, published[plan_id], at) for plan_id, at in loads.values_list("plan_id", "issued_at")]


def records_as_of(model, day: datetime.date, loads=(), plan_path: str = "plan"):
    """History records of `model`: each object's latest record by the end of `day`, deleted ones left out.

    Each object's latest record is chosen first (simple-history's latest_of_each) and only then may the
    caller filter, so a filter on a field that changed later never returns an older record. With `loads`
    (first_loads, Known.NOW), the record that created an object in a plan's first load (the plan reached
    through `plan_path`) also counts from the plan's publication: the plan as published is about then.
    """
    recorded = Q(history_date__lte=end_of_day(day))
    for load in loads:
        recorded |= Q(history_type="+", history_date__lte=load.loaded_at, **{plan_path: load.plan_id})
    return model.history.filter(recorded).latest_of_each().exclude(history_type="-")


@dataclass(frozen=True)
class ActionState:
    """An action as it stood on a day, with its rating and the time rules applied on that day."""

    action: Action  # as recorded on the day: status, deadlines, last update
    brag: BragState
    owners: tuple[str, ...]
    overdue: bool
    due_soon: bool
    update_due: bool

    @property
    def pk(self):
        return self.action.pk

    @property
    def ref(self):
        return self.action.ref

    @property
    def priority(self):
        return self.action.priority

    def get_absolute_url(self):
        return self.action.get_absolute_url()


def action_state(action: Action, day: datetime.date, owners=()) -> ActionState:
    return ActionState(
        action=action,
        brag=action.brag(day),
        owners=tuple(owners),
        overdue=action.is_overdue(day),
        due_soon=action.is_due_soon(day),
        update_due=action.update_is_due(day),
    )


def actions_at(objectives, day: datetime.date, known: Known = Known.NOW, *, loads=None) -> list[ActionState]:
    """The actions of `objectives` (of any plans, with their plan) as they stood on `day`, in plan order,
    with their owners then, in three queries (first loads unless given, actions, owners; two for today)."""
    objectives = {objective.pk: objective for objective in objectives}
    if loads is None:
        loads = first_loads({objective.plan for objective in objectives.values()}, day, known)
    actions = _action_rows(objectives, day, loads)
    for action in actions:
        action.objective = objectives[action.objective_id]  # the objective already fetched: no query per action
    owners = owners_at([action.pk for action in actions], day, loads)
    actions.sort(key=lambda action: (action.objective.plan.slug, action.sort_key))
    return [action_state(action, day, owners.get(action.pk, ())) for action in actions]


def _action_rows(objectives, day, loads) -> list[Action]:
    if day >= today():
        return list(Action.objects.filter(objective_id__in=objectives))
    records = records_as_of(Action, day, loads, "objective__plan")
    return list(records.filter(objective_id__in=objectives, withdrawn_at__isnull=True).as_instances())


def owners_at(action_ids, day: datetime.date, loads=()) -> dict[int, list[str]]:
    """{action id: its owner posts' names, in order} as they stood on `day`, in one query."""
    if day >= today():
        rows = ActionOwner.objects.filter(action_id__in=action_ids)
    else:
        rows = records_as_of(ActionOwner, day, loads, "action__objective__plan").filter(action_id__in=action_ids)
    owners = {}
    for action_id, name in rows.order_by("order", "post__name").values_list("action_id", "post__name"):
        owners.setdefault(action_id, []).append(name)
    return owners


def measure_links_at(action_ids, day: datetime.date, loads=()) -> dict[int, list[int]]:
    """{action id: the ids of the measures it was linked to on `day`} in one query: each action's record then
    (as `actions_at` reads it, `loads` from first_loads) carries the links it had when it was recorded."""
    if day >= today():
        rows = Action.measures.through.objects.filter(action_id__in=action_ids)
    else:
        records = records_as_of(Action, day, loads, "objective__plan").filter(id__in=action_ids)
        rows = ActionMeasureRecord.objects.filter(history_id__in=records.values("history_id"))
    links = {}
    for action_id, measure_id in rows.order_by("measure_id").values_list("action_id", "measure_id"):
        links.setdefault(action_id, []).append(measure_id)
    return links


def latest_updates(action_ids, day: datetime.date, evidence=False) -> dict[int, ActionUpdate]:
    """{action id: its latest update posted by the end of `day`} in one query (two with its evidence).

    An update is recorded when it is posted, so both questions give the same answer.
    """
    newest = ActionUpdate.objects.filter(action_id=OuterRef("action_id"), created_at__lte=end_of_day(day))
    updates = ActionUpdate.objects.filter(
        action_id__in=action_ids, pk=Subquery(newest.order_by("-created_at", "-pk").values("pk")[:1])
    )
    if evidence:
        updates = updates.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    return {update.action_id: update for update in updates}
