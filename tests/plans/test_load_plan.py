import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure
from plans.loading import DEFAULT_PLAN_FILE, PlanFileError, load_plan
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
