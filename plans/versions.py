"""Plan versions: the plan as published, kept in the plan file format, edited as a draft and compared.

A version's content is exactly what `load_plan` reads, so issuing a version is loading it: only what
differs is written, each change attributed to the person who issued it. Actions are matched by their
uid, in the loader and in comparisons alike, never by ref or place; versions stored before uids are
read as the loader then matched them (ref, or objective and place), which is the uid they were given.
"""

import datetime
import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Prefetch

from plans.editing import Frozen, Stale
from plans.lifecycle import claim_draft, mark_issued
from plans.loading import FORMAT, SECTIONS, LoadResult, PlanFileError, apply_plan_content
from plans.models import Action, ActionOwner, Plan, PlanVersion
from plans.models.plan import new_action_uid


class StaleDraft(Stale):
    """Someone else saved the draft after this form was opened."""


def _month(day):
    return day.strftime("%Y-%m") if day else ""


def dump_plan(plan: Plan) -> dict:
    """The plan as it stands, in the plan file format: loading it back changes nothing."""
    objectives = plan.objectives.select_related("lead_post").prefetch_related(
        "areas",
        "sub_objectives",
        "success_indicators",
        Prefetch(
            "actions",
            Action.objects.order_by("sort_key").prefetch_related(
                Prefetch("ownerships", ActionOwner.objects.select_related("post").order_by("order"))
            ),
        ),
    )
    content = {
        "format": FORMAT,
        "slug": plan.slug,
        "title": plan.title,
        "organisation": plan.organisation,
        "kind": plan.kind,
        "published": _month(plan.published),
        "delivery_deadline": plan.delivery_deadline.isoformat() if plan.delivery_deadline else "",
        "deadline_basis": plan.deadline_basis,
        "source_document": plan.source_document,
        "vision": plan.vision,
        "governance": plan.governance,
        **({"foreword": plan.foreword} if plan.foreword else {}),
        **({"signatories": plan.signatories} if plan.signatories else {}),
        **({"abbreviations": plan.abbreviations} if plan.abbreviations else {}),
        **({"headline_figures": plan.headline_figures} if plan.headline_figures else {}),
        "judgements": [{"judgement": j.judgement, "grade": j.grade} for j in plan.judgements.all()],
        "areas_for_improvement": [
            {"number": a.number, "text": a.text, "is_additional": a.is_additional} for a in plan.areas.all()
        ],
        "objectives": [],
    }
    for objective in objectives:
        content["objectives"].append(
            {
                "number": objective.number,
                "name": objective.name,
                "lead_post": objective.lead_post.name if objective.lead_post else "",
                "rationale": objective.rationale,
                "areas": sorted(area.number for area in objective.areas.all()),
                "sub_objectives": [sub.text for sub in objective.sub_objectives.all()],
                "success_indicators": [item.text for item in objective.success_indicators.all()],
                "actions": [
                    {
                        "uid": action.uid,
                        "ref": action.ref,
                        "priority": action.priority,
                        "deadline": _month(action.deadline),
                        "deadline_note": action.deadline_note,
                        "owners": [ownership.post.name for ownership in action.ownerships.all()],
                        "outcomes": action.outcomes,
                        **({"inferred": action.inferred} if action.inferred else {}),
                    }
                    for action in objective.actions.all()
                ],
            }
        )
    for section in SECTIONS:  # measures, boards: the parts of the file higher apps hold
        section.dump(plan, content)
    return content


@transaction.atomic
def start_version(plan: Plan, *, title: str, user) -> PlanVersion:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.versions.filter(state=PlanVersion.State.DRAFT).exists():
        raise PlanFileError("There is already a draft version of this plan: edit or issue that one.")
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PlanVersion(plan=plan, number=number, title=title, content=dump_plan(plan), created_by=user)
    version._history_user = user
    version.save()
    return version


@transaction.atomic
def save_draft(version: PlanVersion, *, edit_count: int, user, change) -> PlanVersion:
    """Apply `change(content)` to a draft, refusing if someone saved it since `edit_count` was read."""
    try:
        version = claim_draft(PlanVersion, version.pk, seen=edit_count)
    except Frozen as error:
        raise PlanFileError(str(error)) from None
    except Stale as stale:
        raise StaleDraft(stale.record, stale.changes) from None
    change(version.content)
    _give_new_rows_uids(version)
    version._history_user = user
    version.save()
    return version


def _give_new_rows_uids(version):
    """An action added to a draft gets its uid at once, so the draft compares and issues as it reads."""
    rows = [row for objective in version.content.get("objectives", []) for row in objective.get("actions", [])]
    if all(row.get("uid") for row in rows):
        return
    taken = set(Action.all_objects.filter(objective__plan=version.plan_id).values_list("uid", flat=True))
    for other in PlanVersion.objects.filter(plan=version.plan_id):
        taken |= {uid for uid, _ in _rows(other.content)}
    taken |= {row["uid"] for row in rows if row.get("uid")}
    for row in rows:
        if not row.get("uid"):
            row["uid"] = new_action_uid()
            while row["uid"] in taken:
                row["uid"] = new_action_uid()
            taken.add(row["uid"])


@transaction.atomic
def issue_version(version: PlanVersion, *, user) -> LoadResult:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise PlanFileError("This version has already been issued.")
    result = apply_plan_content(version.content, user=user, reason=f"Plan version {version.number} issued")
    mark_issued(version, user=user)
    return result


# Comparing two versions


def action_label(objective_number, action, position):
    """What people call an action in a version: its ref, or '2/3' for the third of objective 2 in a plan without."""
    return action.get("ref") or f"{objective_number}/{position}"


def _rows(content):
    """[(uid, row with objective, position and label)] of a version's actions, in order.

    A version stored before actions had uids names each by what the loader matched it by then (ref, or
    objective and place), which is the uid the action was given (plans migration 0007).
    """
    found, seen = [], set()
    for objective in content.get("objectives", []):
        for position, action in enumerate(objective.get("actions", []), start=1):
            uid = action.get("uid") or action.get("ref") or f"{objective['number']}-{position}"
            if uid in seen:
                uid = f"{uid}@{objective['number']}/{position}"  # never the uid of a real action
            seen.add(uid)
            label = action_label(objective["number"], action, position)
            found.append((uid, dict(action, objective=objective["number"], position=position, key=label)))
    return found


def _actions(content):
    return dict(_rows(content))


def measures_in(content):
    """{code: measure row} of a plan in the file format; a measure under several objectives counts once."""
    found = {}
    for objective in content.get("objectives", []):
        for measure in objective.get("measures", []):
            found.setdefault(measure["code"], measure)
    return found


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind '=', '-' or '+', word by word, for showing a rewording."""
    old_words, new_words = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("=", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("+", " ".join(new_words[j1:j2])))
    return parts


@dataclass
class Change:
    key: str
    what: str
    old: str
    new: str
    words: list = field(default_factory=list)


@dataclass
class PlanDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    renumbered: list = field(default_factory=list)
    deadlines_moved: list = field(default_factory=list)
    reworded: list = field(default_factory=list)
    owners_changed: list = field(default_factory=list)
    measures_added: list = field(default_factory=list)
    measures_removed: list = field(default_factory=list)
    measures_changed: list = field(default_factory=list)
    objectives_changed: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not any(vars(self).values())


def month_text(text):
    """'2026-06' -> 'June 2026', as the plan file stores months and the pages show them."""
    return datetime.datetime.strptime(text, "%Y-%m").strftime("%B %Y") if text else "no deadline"


REWORDABLE = [("priority", "what we will do"), ("outcomes", "outcomes"), ("deadline_note", "deadline note")]


def diff_contents(old: dict, new: dict) -> PlanDiff:
    diff = PlanDiff()
    old_actions, new_actions = _actions(old), _actions(new)
    diff.added = [action for uid, action in new_actions.items() if uid not in old_actions]
    diff.removed = [action for uid, action in old_actions.items() if uid not in new_actions]
    diff.renumbered = _renumbered(old_actions, new_actions)
    for uid, then in old_actions.items():
        now = new_actions.get(uid)
        if now is None:
            continue
        key = now["key"]
        if then.get("deadline", "") != now.get("deadline", ""):
            diff.deadlines_moved.append(
                Change(key, "deadline", month_text(then.get("deadline")), month_text(now.get("deadline")))
            )
        for name, what in REWORDABLE:
            was, is_now = then.get(name, ""), now.get(name, "")
            if was != is_now:
                diff.reworded.append(Change(key, what, was, is_now, word_diff(was, is_now)))
        if then.get("owners", []) != now.get("owners", []):
            diff.owners_changed.append(
                Change(key, "owners", "; ".join(then["owners"]), "; ".join(now.get("owners", [])))
            )

    old_measures, new_measures = measures_in(old), measures_in(new)
    diff.measures_added = [m for code, m in new_measures.items() if code not in old_measures]
    diff.measures_removed = [m for code, m in old_measures.items() if code not in new_measures]
    for code, then in old_measures.items():
        now = new_measures.get(code)
        if now is None:
            continue
        for name in ["name", "target", "baseline", "direction", "unit"]:
            if then.get(name, "") != now.get(name, ""):
                diff.measures_changed.append(Change(code, name, then.get(name, ""), now.get(name, "")))

    old_objectives = {o["number"]: o for o in old.get("objectives", [])}
    for objective in new.get("objectives", []):
        then = old_objectives.get(objective["number"])
        if then is None:
            diff.objectives_changed.append(Change(str(objective["number"]), "added", "", objective["name"]))
        elif then["name"] != objective["name"] or then.get("lead_post", "") != objective.get("lead_post", ""):
            diff.objectives_changed.append(
                Change(str(objective["number"]), "name or lead", f"{then['name']} ({then.get('lead_post', '')})",
                       f"{objective['name']} ({objective.get('lead_post', '')})")
            )
    return diff


def _renumbered(old_actions, new_actions):
    """Actions that kept their identity but not their ref, objective or (in a plan without refs) order."""
    changes = []
    for uid, now in new_actions.items():
        then = old_actions.get(uid)
        if then is not None and (then.get("ref", ""), then["objective"]) != (now.get("ref", ""), now["objective"]):
            changes.append(Change(now["key"], "ref", then["key"], now["key"]))
    # Unnumbered actions: one whose place among those both versions share changed (not merely closed up).
    for number in {action["objective"] for action in new_actions.values()}:
        def shared(actions, other):
            return [uid for uid, action in actions.items()
                    if action["objective"] == number and not action.get("ref") and uid in other
                    and other[uid]["objective"] == number]

        before, after = shared(old_actions, new_actions), shared(new_actions, old_actions)
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        stayed = {uid for block in matcher.get_matching_blocks() for uid in after[block.b:block.b + block.size]}
        changes += [Change(new_actions[uid]["key"], "place", old_actions[uid]["key"], new_actions[uid]["key"])
                    for uid in after if uid not in stayed]
    return changes


def action_across_versions(action: Action) -> list[dict]:
    """The action as each issued version of its plan gave it, found by its uid: its words and deadline over time."""
    rows = []
    for version in action.objective.plan.versions.filter(state=PlanVersion.State.ISSUED).order_by("number"):
        row = _actions(version.content).get(action.uid)
        if row is not None:
            rows.append({"version": version, "ref": row["key"], "deadline": month_text(row.get("deadline")),
                         "priority": row["priority"]})
    return rows
