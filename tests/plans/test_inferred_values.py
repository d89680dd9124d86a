"""Values the plan leaves blank (merged cells) are filled from the row above, flagged, and shown as such."""

import datetime

import pytest
from django.urls import reverse

from governance.reports import report_snapshot
from governance.self_assessment import draft_sections
from plans.loading import PlanFileError, keep_inferred, load_plan
from plans.models import Action
from plans.versions import dump_plan
from tests.plans.test_load_plan import edited_copy

NOTE = "not stated in the plan: taken from 5.12’s row"
TODAY = datetime.date.today()


def test_keep_inferred_drops_the_flag_of_a_value_a_person_changed():
    old = {"deadline": "2025-09", "owners": ["Head of Education"], "inferred": {"deadline": "5.12", "owners": "5.12"}}
    assert keep_inferred(old, {"deadline": "2025-09", "owners": ["Head of Inclusion"]}) == {
        "deadline": "2025-09", "owners": ["Head of Inclusion"], "inferred": {"deadline": "5.12"}}
    assert keep_inferred(old, {"deadline": "2025-10", "owners": ["Head of Inclusion"]}) == {
        "deadline": "2025-10", "owners": ["Head of Inclusion"]}


def test_an_action_says_which_values_the_plan_does_not_state(board_client, plan):
    page = board_client.get(reverse("plans:action_detail", args=[plan.slug, "5.13"])).content.decode()
    assert page.count(NOTE) == 1
    assert "Not stated in the plan: taken from 5.12’s row." in page  # owners and outcomes
    assert page.count("Not stated in the plan: taken from 5.12’s row.") == 2
    stated = board_client.get(reverse("plans:action_detail", args=[plan.slug, "5.12"])).content.decode()
    assert "not stated in the plan" not in stated.lower()
    only_outcomes = board_client.get(reverse("plans:action_detail", args=[plan.slug, "5.5"])).content.decode()
    assert "Not stated in the plan: taken from 5.4’s row." in only_outcomes
    assert "taken from 5.4’s row" in only_outcomes.split("Outcomes (how")[1]


def test_the_action_list_marks_an_inferred_deadline_and_owners_in_words(board_client, plan):
    page = board_client.get(reverse("plans:action_list", args=[plan.slug]), {"q": "5.13"}).content.decode()
    assert page.count(NOTE) == 2  # by when, and officer(s) responsible
    export = board_client.get(reverse("plans:action_list", args=[plan.slug]), {"q": "5.13", "_export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode("utf-8-sig").count(NOTE) == 2


def test_the_self_assessment_and_board_report_say_an_overdue_deadline_was_inferred(plan):
    steps = draft_sections(plan, TODAY)["next_steps"]
    line = next(line for line in steps.splitlines() if line.startswith("- 5.13 "))
    assert f"(due September 2025; {NOTE})" in line
    stated = next(line for line in steps.splitlines() if line.startswith("- 5.12 "))
    assert "not stated" not in stated
    snapshot = report_snapshot(plan=plan, as_at=TODAY, since=None)
    actions = {a["ref"]: a for objective in snapshot["objectives"] for a in objective["actions"]}
    assert (actions["5.13"]["status"], actions["5.13"]["deadline_inferred"]) == ("Overdue", NOTE)
    assert actions["5.12"]["deadline_inferred"] == ""


def test_an_approved_revised_deadline_is_stated_not_inferred(plan):
    action = Action.objects.get(ref="5.13")
    action.revised_deadline = datetime.date(2026, 3, 1)
    assert action.inferred_deadline == ""
    assert action.inferred_owners == NOTE


def test_the_flags_go_into_a_plan_version_and_back(plan):
    content = dump_plan(plan)
    rows = {row["ref"]: row for objective in content["objectives"] for row in objective["actions"]}
    assert rows["5.13"]["inferred"] == {"deadline": "5.12", "owners": "5.12", "outcomes": "5.12"}
    assert "inferred" not in rows["5.12"]


@pytest.mark.parametrize(
    "flags, message",
    [
        ({"priority": "5.12"}, "inferred names 'priority'; only deadline, owners, outcomes"),
        ({"deadline": ""}, "inferred deadline must name the ref of the row it was taken from"),
        (["deadline"], "inferred must map a field to a ref"),
    ],
)
def test_it_refuses_a_flag_that_is_not_a_field_taken_from_a_row(plan, tmp_path, flags, message):
    def edit(data):
        data["objectives"][4]["actions"][12]["inferred"] = flags

    with pytest.raises(PlanFileError, match=message):
        load_plan(edited_copy(tmp_path, edit))
    assert Action.objects.get(ref="5.13").inferred == {"deadline": "5.12", "owners": "5.12", "outcomes": "5.12"}


def test_it_refuses_a_flag_on_a_value_the_row_does_not_give(plan, tmp_path):
    def edit(data):
        row = data["objectives"][4]["actions"][12]
        row["deadline"] = ""

    with pytest.raises(PlanFileError, match="Action 5.13: deadline is flagged as inferred but the row gives none"):
        load_plan(edited_copy(tmp_path, edit))
