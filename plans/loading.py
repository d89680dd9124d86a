"""Load a plan from a JSON file in fixtures/plans/ into the database, idempotently.

The file is the plan as published: objectives with their actions and measures, the inspection's
judgements and areas for improvement, the boards that oversee it. Loading the same file twice changes
nothing and writes no history; loading an edited file changes only what differs.

This module loads what the plans app holds; higher apps load their own parts of the file (measures, boards)
as `Section`s they register when Django starts, so the plans app never imports them.

Each action in the file carries a uid, the one thing about it that never changes: the loader matches
actions by it, so an action keeps its row, updates and history through a new ref, new words or a new
place. A file written before uids still loads: its numbered actions are matched by ref, as they always
were, and unnumbered ones (a strategy's commitments) by their exact words, never by their place.
"""

import datetime
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plans.models import (
    Action,
    ActionOwner,
    AreaForImprovement,
    Judgement,
    Objective,
    Plan,
    PlanVersion,
    Post,
    SubObjective,
    SuccessIndicator,
)
from plans.models.plan import INFERABLE, new_action_uid

FORMAT = "improvement-tracker-plan/1"
PLAN_DIR = settings.BASE_DIR / "fixtures" / "plans"
DEFAULT_PLAN_FILE = PLAN_DIR / "knowsley-improvement-plan-2025.json"


class PlanFileError(ValueError):
    pass


@dataclass
class LoadResult:
    plan: Plan | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    withdrawn: Counter = field(default_factory=Counter)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted or self.withdrawn)

    def summary(self):
        def describe(counter):
            return ", ".join(f"{count} {name}" for name, count in sorted(counter.items())) or "nothing"

        return (
            f"{self.plan}: created {describe(self.created)}; updated {describe(self.updated)}; "
            f"removed {describe(self.deleted)}; withdrawn {describe(self.withdrawn)}."
        )


def parse_month(text, where):
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        raise PlanFileError(f"{where}: month must look like 2025-06, not {text!r}.") from None


class Loader:
    def __init__(self, result, user=None, reason=""):
        self.result = result
        self.user = user
        self.reason = reason

    def attribute(self, obj):
        """Who made the change and why, on the history record it writes (the why also when no one is named)."""
        obj._history_user = self.user
        obj._change_reason = self.reason

    def sync(self, model, lookup, values):
        """Create or update one row, saving only when something differs (so no empty history)."""
        # The base manager also finds withdrawn actions, so a version that brings one back revives it.
        return self.save(model, model._base_manager.filter(**lookup).first(), lookup, values)

    def save(self, model, obj, new, values):
        """Update `obj` to `values`, or with no `obj` create one from `new` and `values`."""
        name = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**{**new, **values})
            self.attribute(obj)
            obj.save()
            self.result.created[name] += 1
            return obj
        changed = [key for key, value in values.items() if getattr(obj, key) != value]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            self.attribute(obj)
            obj.save()
            self.result.updated[name] += 1
        return obj

    def prune(self, queryset, keep_ids):
        stale = queryset.exclude(pk__in=keep_ids)
        count = stale.count()
        if count:
            name = queryset.model._meta.verbose_name_plural
            for obj in stale:
                self.attribute(obj)
                obj.delete()
            self.result.deleted[name] += count

    def withdraw(self, actions, keep_ids):
        """Actions a plan no longer lists keep their updates and history: they are withdrawn, not deleted."""
        for action in actions.exclude(pk__in=keep_ids):
            action.withdrawn_at = timezone.now()
            self.attribute(action)
            action.save()
            self.result.withdrawn["actions"] += 1

    def fresh_uid(self, taken):
        uid = new_action_uid()
        while uid in taken:
            uid = new_action_uid()
        return uid

    def set_m2m(self, manager, objects, label):
        if set(manager.all()) != set(objects):
            manager.set(objects)
            self.result.updated[label] += 1


@dataclass(frozen=True)
class Section:
    """A part of the plan file a higher app holds (measures, boards), registered from its AppConfig.ready.

    `load(loader, plan, data, objectives)` runs once the plan's objectives and actions are in place and before
    objectives the file no longer lists are removed; `objectives` maps each objective number to its row.
    `dump(plan, content)` adds the part to the plan's content, as `load` reads it back.
    """

    load: Callable
    dump: Callable


SECTIONS: list[Section] = []


def register_section(section: Section):
    if section not in SECTIONS:
        SECTIONS.append(section)


def load_plan(path=DEFAULT_PLAN_FILE, user=None) -> LoadResult:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"No plan file at {path}.") from None
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{path.name} is not valid JSON: {error}.") from None
    if data.get("format") != FORMAT:
        raise PlanFileError(f"{path.name} is not a plan file (expected format {FORMAT!r}).")
    with transaction.atomic():
        result = apply_plan_content(data, user=user, reason=f"Loaded from {path.name}")
        _record_version(result, path, user)
    return result


def _record_version(result, path, user):
    """Every state the plan is published in is a version: the first load, and any reload that changed it."""
    from plans.versions import dump_plan

    plan = result.plan
    latest = plan.versions.order_by("-number").first()
    if latest is not None and not result.changed:
        return
    if latest is not None and latest.is_draft:
        raise PlanFileError(f"{plan} has a draft version: issue or delete it before loading {path.name}.")
    number = latest.number + 1 if latest else 1
    title = f"As published, {plan.published_label}" if number == 1 and plan.published else f"Loaded from {path.name}"
    version = PlanVersion(
        plan=plan, number=number, title=title, state=PlanVersion.State.ISSUED, content=dump_plan(plan),
        created_by=user, issued_by=user, issued_at=timezone.now(),
    )
    version._history_user = user
    version.save()


def apply_plan_content(data, user=None, reason="") -> LoadResult:
    """Make the database match a plan in the file format, changing only what differs."""
    result = LoadResult()
    with transaction.atomic():
        try:
            _load(data, Loader(result, user, reason))
        except KeyError as error:
            raise PlanFileError(f"The plan is missing {error}.") from None
    return result


def _load(data, loader):
    organisation = data["organisation"]
    plan = loader.sync(
        Plan,
        {"slug": data["slug"]},
        {
            "title": data["title"],
            "organisation": organisation,
            "kind": data.get("kind", Plan.Kind.IMPROVEMENT_PLAN),
            "published": parse_month(data["published"], "published") if data.get("published") else None,
            "delivery_deadline": datetime.date.fromisoformat(data["delivery_deadline"])
            if data.get("delivery_deadline")
            else None,
            "deadline_basis": data.get("deadline_basis", ""),
            "vision": data.get("vision", ""),
            "governance": data.get("governance", ""),
            "foreword": data.get("foreword", ""),
            "signatories": _signatories(data.get("signatories", [])),
            "abbreviations": _abbreviations(data.get("abbreviations", [])),
            "headline_figures": _headline_figures(data.get("headline_figures", [])),
            "source_document": data.get("source_document", ""),
        },
    )
    loader.result.plan = plan

    kept = [
        loader.sync(
            Judgement, {"plan": plan, "order": order}, {"judgement": row["judgement"], "grade": row["grade"]}
        ).pk
        for order, row in enumerate(data.get("judgements", []), start=1)
    ]
    loader.prune(plan.judgements.all(), kept)

    areas = {}
    for row in data.get("areas_for_improvement", []):
        areas[row["number"]] = loader.sync(
            AreaForImprovement,
            {"plan": plan, "number": row["number"]},
            {"text": row["text"], "is_additional": row.get("is_additional", False)},
        )
    loader.prune(plan.areas.all(), [area.pk for area in areas.values()])

    def post(name):
        return loader.sync(Post, {"organisation": organisation, "name": name}, {})

    objectives, placed = {}, []
    for row in data["objectives"]:
        where = f"objective {row['number']}"
        objective = loader.sync(
            Objective,
            {"plan": plan, "number": row["number"]},
            {
                "name": row["name"],
                "lead_post": post(row["lead_post"]) if row.get("lead_post") else None,
                "rationale": row.get("rationale", ""),
            },
        )
        objectives[row["number"]] = objective
        try:
            loader.set_m2m(objective.areas, [areas[number] for number in row.get("areas", [])], "objective areas")
        except KeyError as error:
            raise PlanFileError(f"{where} names area for improvement {error}, which the file does not list.") from None

        kept = [
            loader.sync(SubObjective, {"objective": objective, "order": order}, {"text": text}).pk
            for order, text in enumerate(row.get("sub_objectives", []), start=1)
        ]
        loader.prune(objective.sub_objectives.all(), kept)

        kept = [
            loader.sync(SuccessIndicator, {"objective": objective, "order": order}, {"text": text}).pk
            for order, text in enumerate(row.get("success_indicators", []), start=1)
        ]
        loader.prune(objective.success_indicators.all(), kept)

        placed += [(objective, order, action_row) for order, action_row in enumerate(row.get("actions", []), start=1)]

    _load_actions(loader, plan, placed, post)
    for section in SECTIONS:
        section.load(loader, plan, data, objectives)
    kept_objectives = [objective.pk for objective in objectives.values()]
    dropped = plan.objectives.exclude(pk__in=kept_objectives).filter(actions__updates__isnull=False).distinct()
    if dropped.exists():
        # Deleting an objective would delete its actions and their updates; only actions can be withdrawn.
        numbers = ", ".join(str(objective.number) for objective in dropped.order_by("number"))
        raise PlanFileError(
            f"The plan no longer lists objective {numbers}, whose actions have updates: keep the objective "
            "(remove its actions instead: they are withdrawn with their updates kept)."
        )
    loader.prune(plan.objectives.all(), kept_objectives)


def _signatories(rows):
    if not isinstance(rows, list) or not all(isinstance(row, dict) and row.get("name") for row in rows):
        raise PlanFileError('signatories must be a list of {"name": ..., "role": ...}, each with a name.')
    return [{"name": row["name"], "role": row.get("role", "")} for row in rows]


def _headline_figures(rows):
    if not isinstance(rows, list) or not all(
        isinstance(row, dict) and row.get("figure") and row.get("text") for row in rows
    ):
        raise PlanFileError('headline_figures must be a list of {"figure": "6.9%", "text": ...}, neither blank.')
    return [{"figure": row["figure"], "text": row["text"]} for row in rows]


def _abbreviations(rows):
    if not isinstance(rows, list) or not all(
        isinstance(row, list) and len(row) == 2 and all(isinstance(part, str) and part for part in row) for row in rows
    ):
        raise PlanFileError('abbreviations must be a list of ["CIN", "Children in Need"] pairs, neither part blank.')
    return rows


def _action_name(plan, objective, order, row):
    terms = plan.terms
    return f"{terms['action']} {row['ref']}" if row.get("ref") else (
        f"{terms['action']} {order} of {terms['objective']} {objective.number}")


def _load_actions(loader, plan, placed, post):
    """Match each action row to the action it names, by uid; withdraw the plan's actions that no row names."""
    existing = list(Action.all_objects.filter(objective__plan=plan).select_related("objective"))
    by_uid = {action.uid: action for action in existing}
    uids, refs = {}, set()
    for objective, order, row in placed:
        name = _action_name(plan, objective, order, row)
        ref, uid = row.get("ref", ""), row.get("uid", "")
        if ref and not ref.startswith(f"{objective.number}."):
            raise PlanFileError(f"Action {ref} is listed under objective {objective.number}.")
        if ref in refs:
            raise PlanFileError(f"Two actions have ref {ref}: give each its own.")
        if ref:
            refs.add(ref)
        if not isinstance(uid, str) or len(uid) > 20:
            raise PlanFileError(f"{name.capitalize()}: uid {uid!r} must be text of at most 20 characters.")
        if uid in uids:
            raise PlanFileError(
                f"{uids[uid].capitalize()} and {name} both have uid {uid!r}: give each action its own "
                "(leave it out for a new action and one is made)."
            )
        if uid:
            uids[uid] = name

    claimed = {by_uid[uid].pk for uid in uids if uid in by_uid}
    matches = []
    for objective, _, row in placed:
        action = by_uid.get(row["uid"]) if row.get("uid") else _match_without_uid(existing, claimed, objective, row)
        if action is not None:
            claimed.add(action.pk)
        matches.append(action)

    # Withdrawn first, and refs that change hands parked (no history: it all happens in this transaction),
    # so that no two actions of an objective ever hold one ref at once, even when two swap refs.
    loader.withdraw(Action.objects.filter(objective__plan=plan), claimed)
    for action, (objective, _, row) in zip(matches, placed):
        moves = action is not None and (action.ref, action.objective_id) != (row.get("ref", ""), objective.pk)
        if moves and action.ref:
            Action.all_objects.filter(pk=action.pk).update(ref=f"~{action.pk}")

    taken = set(by_uid) | set(uids)
    for action, (objective, order, row) in zip(matches, placed):
        ref, name = row.get("ref", ""), _action_name(plan, objective, order, row)
        uid = row.get("uid") or loader.fresh_uid(taken)
        taken.add(uid)
        action = loader.save(
            Action,
            action,
            {"uid": uid},
            {
                "objective": objective,
                "ref": ref,
                "priority": row["priority"],
                "order": order,
                "deadline": parse_month(row["deadline"], f"{name} deadline") if row.get("deadline") else None,
                "deadline_note": row.get("deadline_note", ""),
                "outcomes": row.get("outcomes", ""),
                "inferred": _inferred(row, name),
                "withdrawn_at": None,
            },
        )
        owners = [post(owner) for owner in row.get("owners", [])]
        kept = [
            loader.sync(ActionOwner, {"action": action, "post": owner}, {"order": position}).pk
            for position, owner in enumerate(owners)
        ]
        loader.prune(action.ownerships.all(), kept)


def _inferred(row, name):
    """The row's "inferred" flags, {field: ref of the row that states it}, checked so that only a value that is
    there can be flagged, and only as taken from a row of the plan."""
    inferred = row.get("inferred") or {}
    if not isinstance(inferred, dict):
        raise PlanFileError(f"{name.capitalize()}: inferred must map a field to a ref, like " + '{"deadline": "5.12"}.')
    for key, ref in inferred.items():
        if key not in INFERABLE:
            raise PlanFileError(
                f"{name.capitalize()}: inferred names {key!r}; only {', '.join(INFERABLE)} can be taken "
                "from a row above."
            )
        if not isinstance(ref, str) or not ref or len(ref) > 20:
            raise PlanFileError(f"{name.capitalize()}: inferred {key} must name the ref of the row it was taken from.")
        if not row.get(key):
            raise PlanFileError(f"{name.capitalize()}: {key} is flagged as inferred but the row gives none.")
    return {key: inferred[key] for key in INFERABLE if key in inferred}


def keep_inferred(old_row, new_row):
    """A row edited in a draft keeps an inferred flag only for a value left as it was: a value a person typed
    is stated, not taken from the row above."""
    kept = {key: ref for key, ref in (old_row.get("inferred") or {}).items() if old_row.get(key) == new_row.get(key)}
    return {**new_row, "inferred": kept} if kept else new_row


def _match_without_uid(existing, claimed, objective, row):
    """The action a row from a file written before uids names: by its ref, as such files always meant, or in a
    plan without refs by its very words, never by its place (which put one commitment's updates on another).
    A row whose words changed is then a new action, and the old one is withdrawn with its history."""
    candidates = [action for action in existing if action.pk not in claimed and action.objective_id == objective.pk]
    if row.get("ref"):
        same = [action for action in candidates if action.ref == row["ref"]]
    else:
        same = [action for action in candidates if not action.ref and action.priority == row.get("priority")]
    same.sort(key=lambda action: (action.withdrawn_at is not None, action.order))  # in the plan before withdrawn
    return same[0] if same else None
