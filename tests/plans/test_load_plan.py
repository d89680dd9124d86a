import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure
from plans.loading import DEFAULT_PLAN_FILE, PLAN_DIR, PlanFileError, load_plan
from plans.models import Action, Objective, Plan
from plans.versions import issue_version, save_draft, start_version


def history_rows():
    return sum(model.history.count() for model in (Plan, Objective, Action, Measure))


def edited_copy(tmp_path, edit):
    data = json.loads(DEFAULT_PLAN_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_it_changes_nothing_and_writes_no_history_when_loaded_twice(db):
    first = load_plan()
    assert first.changed and first.created["actions"] == 53
    rows = history_rows()
    second = load_plan()
    assert not second.changed
    assert history_rows() == rows


def test_it_says_up_to_date_from_the_command(db, capsys):
    call_command("load_plan")
    call_command("load_plan")
    assert "up to date" in capsys.readouterr().out


def test_it_updates_only_what_the_file_changes(db, tmp_path):
    load_plan()

    def edit(data):
        workforce = data["objectives"][3]
        workforce["actions"][0]["deadline"] = "2025-09"
        workforce["actions"].pop()  # 4.9
        workforce["measures"][1]["name"] = "Sickness days lost per person"

    result = load_plan(edited_copy(tmp_path, edit))
    assert dict(result.updated) == {"actions": 1, "measures": 1}
    assert dict(result.withdrawn) == {"actions": 1}
    action = Action.objects.get(ref="4.1")
    assert action.deadline == datetime.date(2025, 9, 1)
    latest = action.history.latest()
    change = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert change["deadline"] == (datetime.date(2025, 6, 1), datetime.date(2025, 9, 1))
    assert not Action.objects.filter(ref="4.9").exists()
    assert Action.all_objects.get(ref="4.9").withdrawn_at is not None  # kept, with its history
    assert [v.title for v in result.plan.versions.order_by("number")] == [
        "As published, April 2025", "Loaded from plan.json"
    ]
    assert Measure.objects.get(code="SICKNESS").name == "Sickness days lost per person"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp: tmp / "missing.json", "No plan file at"),
        (lambda tmp: (tmp / "bad.json").write_text("{not json") and tmp / "bad.json", "is not valid JSON"),
        (lambda tmp: (tmp / "other.json").write_text('{"format": "x"}') and tmp / "other.json", "is not a plan file"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_plan(db, tmp_path, make, message):
    with pytest.raises(PlanFileError, match=message):
        load_plan(make(tmp_path))
    assert not Plan.objects.exists()


def test_it_writes_nothing_when_the_file_is_wrong_half_way(db, tmp_path):
    path = edited_copy(tmp_path, lambda data: data["objectives"][5]["areas"].append(99))
    with pytest.raises(CommandError, match="names area for improvement 99"):
        call_command("load_plan", str(path))
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_every_change_a_load_makes_says_where_it_came_from_even_with_no_user(plan, admin_user):
    record = Action.history.filter(ref="4.1").latest()
    assert record.history_user is None
    assert record.history_change_reason == "Loaded from knowsley-improvement-plan-2025.json"
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        objective = next(o for o in content["objectives"] if o["number"] == 4)
        next(a for a in objective["actions"] if a["ref"] == "4.1")["priority"] = "Recruit"

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    issue_version(draft, user=admin_user)
    record = Action.history.filter(ref="4.1").latest()
    assert (record.history_user, record.history_change_reason) == (admin_user, "Plan version 2 issued")


def every_action(data):
    return [action for objective in data["objectives"] for action in objective.get("actions", [])]


@pytest.mark.parametrize("path", sorted(PLAN_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_every_shipped_action_has_a_uid_unique_in_its_plan(path):
    uids = [action.get("uid") for action in every_action(json.loads(path.read_text(encoding="utf-8")))]
    assert all(uids) and len(set(uids)) == len(uids)
    assert all(len(uid) <= 20 for uid in uids)


def test_loading_the_shipped_files_twice_changes_nothing(db):
    for path in sorted(PLAN_DIR.glob("*.json")):
        assert load_plan(path).changed
    rows = history_rows()
    for path in sorted(PLAN_DIR.glob("*.json")):
        assert not load_plan(path).changed
    assert history_rows() == rows
    for path in sorted(PLAN_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        uids = {action.uid for action in Action.objects.filter(objective__plan__slug=data["slug"])}
        assert uids == {action["uid"] for action in every_action(data)}


def test_existing_rows_are_given_the_uids_the_shipped_files_carry(db):
    from importlib import import_module

    from django.apps import apps

    for path in sorted(PLAN_DIR.glob("*.json")):
        load_plan(path)
    for pk in Action.all_objects.values_list("pk", flat=True):  # as if they had none yet
        Action.all_objects.filter(pk=pk).update(uid=f"x{pk}")
        Action.history.filter(id=pk).update(uid="")
    import_module("plans.migrations.0007_action_uid").give_actions_uids(apps, None)
    for path in sorted(PLAN_DIR.glob("*.json")):
        assert not load_plan(path).changed, path.name
    assert not Action.history.filter(uid="").exists()


def test_a_file_without_uids_still_loads_onto_the_plan_it_describes(plan, tmp_path):
    pks = dict(Action.objects.values_list("ref", "pk"))

    def edit(data):
        for action in every_action(data):
            del action["uid"]
        data["objectives"][3]["actions"][0]["deadline"] = "2025-09"

    result = load_plan(edited_copy(tmp_path, edit))
    assert dict(result.updated) == {"actions": 1} and not result.created and not result.withdrawn
    assert dict(Action.objects.values_list("ref", "pk")) == pks


def test_a_strategy_file_without_uids_matches_commitments_by_their_words_not_their_place(db, tmp_path):
    path = PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json"
    strategy = load_plan(path).plan
    second = Action.objects.for_plan(strategy).get(objective__number=1, order=2)
    data = json.loads(path.read_text(encoding="utf-8"))
    for action in every_action(data):
        del action["uid"]
    del data["objectives"][0]["actions"][0]
    copy = tmp_path / "strategy.json"
    copy.write_text(json.dumps(data), encoding="utf-8")
    result = load_plan(copy)
    assert dict(result.withdrawn) == {"actions": 1} and not result.created
    second.refresh_from_db()
    assert second.withdrawn_at is None and second.order == 1


def test_a_uid_in_the_file_keeps_an_action_through_a_new_ref(plan, tmp_path):
    action = Action.objects.get(ref="4.1")
    result = load_plan(edited_copy(tmp_path, lambda data: data["objectives"][3]["actions"][0].update(ref="4.1a")))
    assert dict(result.updated) == {"actions": 1} and not result.withdrawn and not result.created
    assert Action.objects.get(pk=action.pk).ref == "4.1a"


def test_it_refuses_a_file_that_gives_two_actions_one_uid(plan, tmp_path):
    def edit(data):
        data["objectives"][3]["actions"][1]["uid"] = data["objectives"][3]["actions"][0]["uid"]

    with pytest.raises(PlanFileError, match="Action 4.1 and action 4.2 both have uid '4.1'"):
        load_plan(edited_copy(tmp_path, edit))
