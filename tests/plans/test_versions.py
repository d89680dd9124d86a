"""Plan versions: a draft copied from the plan, edited, compared and issued; actions keep their history."""

import datetime

import pytest
from django.urls import reverse

from measures.models import Figure, Measure
from plans.loading import PlanFileError
from plans.models import Action, ActionUpdate, PlanVersion
from plans.services import post_update
from plans.versions import StaleDraft, diff_contents, dump_plan, issue_version, save_draft, start_version, word_diff


def objective(content, number):
    return next(o for o in content["objectives"] if o["number"] == number)


def test_the_loaded_plan_is_version_one_and_a_draft_copies_it(plan, admin_user):
    first = plan.versions.get()
    assert (first.number, first.state, first.title) == (1, "issued", "As published, April 2025")
    draft = start_version(plan, title="October 2025 refresh", user=admin_user)
    assert draft.number == 2 and draft.is_draft and draft.content == first.content == dump_plan(plan)
    assert diff_contents(first.content, draft.content).is_empty
    with pytest.raises(PlanFileError, match="already a draft"):
        start_version(plan, title="Another", user=admin_user)


def test_the_diff_names_every_kind_of_change(plan, admin_user):
    old = dump_plan(plan)
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        workforce = objective(content, 4)
        workforce["actions"][0]["deadline"] = "2025-12"  # 4.1: June 2025 -> December 2025
        workforce["actions"][1]["priority"] += " and exit interviews"
        workforce["actions"][2]["owners"] = ["Head of Workforce"]
        workforce["actions"].append({"ref": "4.10", "priority": "Launch a retention bonus", "deadline": "2026-03",
                                     "owners": ["Head of Workforce"], "outcomes": ""})
        del objective(content, 6)["actions"][-1]  # 6.10
        for measure in workforce["measures"]:
            if measure["code"] == "SICKNESS":
                measure["target"] = "8"

    draft = save_draft(draft, edit_count=0, user=admin_user, change=change)
    diff = diff_contents(old, draft.content)
    assert [(c.key, c.old, c.new) for c in diff.deadlines_moved] == [("4.1", "June 2025", "December 2025")]
    assert [a["key"] for a in diff.added] == ["4.10"] and [a["key"] for a in diff.removed] == ["6.10"]
    assert [(c.key, c.what) for c in diff.reworded] == [("4.2", "what we will do")]
    assert ("+", "and exit interviews") in diff.reworded[0].words
    assert [c.key for c in diff.owners_changed] == ["4.3"]
    assert [(c.key, c.what, c.old, c.new) for c in diff.measures_changed] == [("SICKNESS", "target", "8.5", "8")]


def test_issuing_applies_the_draft_keeps_history_and_withdraws_what_it_drops(plan, admin_user, manager):
    dropped = Action.objects.get(objective__plan=plan, ref="6.10")
    ActionUpdate.objects.create(action=dropped, author=manager, status="on_track", commentary="Started")
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        objective(content, 4)["actions"][0]["deadline"] = "2025-12"
        del objective(content, 6)["actions"][-1]

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    result = issue_version(draft, user=admin_user)
    assert dict(result.updated) == {"actions": 1} and dict(result.withdrawn) == {"actions": 1}
    moved = Action.objects.get(objective__plan=plan, ref="4.1")
    assert moved.deadline == datetime.date(2025, 12, 1)
    record = moved.history.latest()
    assert record.history_user == admin_user and record.prev_record.deadline == datetime.date(2025, 6, 1)
    assert not Action.objects.filter(ref="6.10").exists()
    assert Action.all_objects.get(pk=dropped.pk).updates.get().commentary == "Started"
    draft.refresh_from_db()
    assert draft.state == "issued" and draft.issued_by == admin_user
    with pytest.raises(PlanFileError, match="already been issued"):
        issue_version(draft, user=admin_user)


def test_a_second_editor_working_from_an_old_copy_is_refused(plan, admin_user):
    draft = start_version(plan, title="Refresh", user=admin_user)
    save_draft(draft, edit_count=0, user=admin_user, change=lambda content: None)
    with pytest.raises(StaleDraft):
        save_draft(draft, edit_count=0, user=admin_user, change=lambda content: None)


def test_a_version_may_not_drop_a_measure_that_has_figures(plan, admin_user):
    Figure.objects.create(measure=Measure.objects.get(plan=plan, code="SICKNESS"), month=datetime.date(2025, 5, 1),
                          value=9)
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        measures = objective(content, 4)["measures"]
        measures[:] = [m for m in measures if m["code"] != "SICKNESS"]

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    with pytest.raises(PlanFileError, match="SICKNESS"):
        issue_version(draft, user=admin_user)
    assert Measure.objects.filter(code="SICKNESS").exists() and PlanVersion.objects.get(pk=draft.pk).is_draft


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("Recruit ten social workers", "Recruit twelve social workers") == [
        ("=", "Recruit"), ("-", "ten"), ("+", "twelve"), ("=", "social workers")
    ]


def test_an_admin_edits_the_draft_through_the_pages(plan, admin_user, board_member):
    from django.test import Client

    admin_client, board_client = Client(), Client()
    admin_client.force_login(admin_user)
    board_client.force_login(board_member)
    admin_client.post(reverse("plans:version_create", args=[plan.slug]), {"title": "October 2025 refresh"})
    url = reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 1])
    form = admin_client.get(url).content.decode()
    assert "Recruit" in form or "4.1" in form
    data = {"edit_count": 0, "ref": "4.1", "priority": "Reworded", "deadline": "2025-13", "owners": "Head of Workforce"}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "Reworded" in response.content.decode()  # kept what was typed
    assert "Enter a valid date" in response.content.decode()
    data["deadline"] = "2025-12"
    assert admin_client.post(url, data).status_code == 302
    stale = admin_client.post(url, dict(data, priority="Second edit"))  # edit_count 0 again
    assert "Someone else saved this draft" in stale.content.decode() and "Second edit" in stale.content.decode()
    new = admin_client.post(
        reverse("plans:draft_action_create", args=[plan.slug, 2, 4]),
        {"edit_count": 1, "ref": "4.1", "priority": "Duplicate"},
    )
    assert "Action 4.1 already exists" in new.content.decode()
    page = board_client.get(reverse("plans:version_detail", args=[plan.slug, 2])).content.decode()
    assert "December 2025" in page and "Issue version" not in page
    compare = board_client.get(reverse("plans:version_compare", args=[plan.slug]) + "?from=1&to=2").content.decode()
    assert "Deadlines moved (1)" in compare and "June 2025" in compare
    admin_client.post(reverse("plans:version_issue", args=[plan.slug, 2]))
    assert Action.objects.get(objective__plan=plan, ref="4.1").priority == "Reworded"
    history = board_client.get(Action.objects.get(objective__plan=plan, ref="4.1").get_absolute_url()).content.decode()
    assert "In each version of the plan" in history and "Version 2: October 2025 refresh" in history


def test_removing_with_a_garbled_edit_count_removes_nothing(plan, admin_client):
    start_version(plan, title="Refresh", user=None)
    url = reverse("plans:draft_action_remove", args=[plan.slug, 2, 4, 1])
    assert admin_client.post(url, {"edit_count": "abc"}).status_code == 302
    assert len(objective(PlanVersion.objects.get(number=2).content, 4)["actions"]) == 9


def test_a_version_may_not_drop_an_objective_whose_actions_have_updates(plan, admin_user, manager):
    action = Action.objects.get(ref="4.1")
    post_update(action=action, author=manager, expected_version=0, status="on_track", commentary="Recruiting")
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        content["objectives"][:] = [o for o in content["objectives"] if o["number"] != 4]

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    with pytest.raises(PlanFileError, match="objective 4, whose actions have updates"):
        issue_version(draft, user=admin_user)
    assert ActionUpdate.objects.filter(action__ref="4.1", commentary="Recruiting").exists()
    assert plan.objectives.filter(number=4).exists() and PlanVersion.objects.get(pk=draft.pk).is_draft


def test_renaming_a_ref_in_a_draft_keeps_the_action_its_updates_and_history(plan, admin_client, admin_user, manager):
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    post_update(action=action, author=manager, expected_version=0, status="on_track", commentary="Recruiting")
    admin_client.post(reverse("plans:version_create", args=[plan.slug]), {"title": "Renumbered"})
    url = reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 1])
    data = {"edit_count": 0, "ref": "4.1a", "priority": action.priority, "deadline": "2025-06",
            "owners": "\n".join(action.owner_posts), "outcomes": action.outcomes}
    assert admin_client.post(url, data).status_code == 302
    draft = PlanVersion.objects.get(plan=plan, number=2)
    assert "Action 4.1 renumbered 4.1a" in admin_client.get(draft.get_absolute_url()).content.decode()
    result = issue_version(draft, user=admin_user)
    assert dict(result.updated) == {"actions": 1} and not result.withdrawn and not result.created

    renamed = Action.objects.get(pk=action.pk)
    assert renamed.ref == "4.1a" and renamed.status == "on_track"
    assert renamed.updates.get().commentary == "Recruiting"
    assert not Action.all_objects.filter(objective__plan=plan, ref="4.1").exists()
    record = renamed.history.latest()
    assert (record.prev_record.ref, record.ref, record.history_user) == ("4.1", "4.1a", admin_user)
    page = admin_client.get(renamed.get_absolute_url()).content.decode()
    assert "Version 1: As published, April 2025" in page and "Version 2: Renumbered" in page


def test_a_new_action_may_take_a_ref_another_action_gave_up(plan, admin_user):
    old = Action.objects.get(objective__plan=plan, ref="4.1")
    draft = start_version(plan, title="Renumbered", user=admin_user)

    def change(content):
        actions = objective(content, 4)["actions"]
        actions[0]["ref"] = "4.2"
        actions[1]["ref"] = "4.1"  # the two swap refs
        actions.append({"ref": "4.10", "priority": "Launch a retention bonus", "deadline": "2026-03",
                        "owners": ["Head of Workforce"], "outcomes": ""})

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    second = Action.objects.get(objective__plan=plan, ref="4.2")
    issue_version(draft, user=admin_user)
    old.refresh_from_db()
    second.refresh_from_db()
    assert (old.ref, second.ref) == ("4.2", "4.1")
    added = Action.objects.get(objective__plan=plan, ref="4.10")
    assert added.uid not in {old.uid, second.uid} and len(added.uid) <= 20
    assert diff_contents(PlanVersion.objects.get(pk=draft.pk).content, dump_plan(plan)).is_empty


def test_reordering_actions_in_a_draft_keeps_every_action(plan, admin_user):
    before = {a.pk: (a.ref, a.priority) for a in Action.objects.filter(objective__number=4)}
    draft = start_version(plan, title="Reordered", user=admin_user)
    save_draft(draft, edit_count=0, user=admin_user, change=lambda content: objective(content, 4)["actions"].reverse())
    result = issue_version(draft, user=admin_user)
    assert not result.created and not result.withdrawn
    assert {a.pk: (a.ref, a.priority) for a in Action.objects.filter(objective__number=4)} == before


def test_comparing_versions_follows_an_action_through_a_new_ref(plan, admin_user):
    old = dump_plan(plan)
    new = dump_plan(plan)
    objective(new, 4)["actions"][0]["ref"] = "4.1a"
    objective(new, 4)["actions"][0]["deadline"] = "2025-12"
    diff = diff_contents(old, new)
    assert not diff.added and not diff.removed
    assert [(c.key, c.old, c.new) for c in diff.renumbered] == [("4.1a", "4.1", "4.1a")]
    assert [(c.key, c.new) for c in diff.deadlines_moved] == [("4.1a", "December 2025")]


def test_versions_stored_before_uids_still_display_and_compare(plan, admin_user, board_client):
    first = plan.versions.get()
    for row in first.content["objectives"]:
        for action in row["actions"]:
            del action["uid"]
    first.save()
    draft = start_version(plan, title="Refresh", user=admin_user)

    def change(content):
        objective(content, 4)["actions"][0]["ref"] = "4.1a"
        del objective(content, 6)["actions"][-1]

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    diff = diff_contents(first.content, PlanVersion.objects.get(pk=draft.pk).content)
    assert [a["key"] for a in diff.removed] == ["6.10"] and not diff.added
    assert [(c.old, c.new) for c in diff.renumbered] == [("4.1", "4.1a")]
    issue_version(draft, user=admin_user)
    assert board_client.get(first.get_absolute_url()).status_code == 200
    compare = board_client.get(reverse("plans:version_compare", args=[plan.slug]) + "?from=1&to=2").content.decode()
    assert "Actions removed (1)" in compare and "Actions added" not in compare
    page = board_client.get(Action.objects.get(ref="4.1a").get_absolute_url()).content.decode()
    assert "Version 1: As published" in page and "Version 2: Refresh" in page


def test_a_stale_change_form_saves_onto_its_own_action_not_the_one_now_in_its_place(plan, admin_client):
    start_version(plan, title="Refresh", user=None)
    draft = PlanVersion.objects.get(plan=plan, number=2)
    second_uid = objective(draft.content, 4)["actions"][1]["uid"]
    url = reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 2])
    form = admin_client.get(url).content.decode()
    assert f'value="{second_uid}"' in form
    admin_client.post(reverse("plans:draft_action_remove", args=[plan.slug, 2, 4, 1]),
                      {"edit_count": 0, "uid": objective(draft.content, 4)["actions"][0]["uid"]})
    data = {"edit_count": 1, "uid": second_uid, "ref": "4.2", "priority": "Reworded 4.2", "deadline": "2025-12"}
    admin_client.post(url, data)  # position 2 now holds 4.3
    actions = objective(PlanVersion.objects.get(pk=draft.pk).content, 4)["actions"]
    assert [(a["ref"], a["uid"]) for a in actions[:2]] == [("4.2", second_uid), ("4.3", actions[1]["uid"])]
    assert actions[0]["priority"] == "Reworded 4.2" and actions[1]["priority"] != "Reworded 4.2"


def test_a_ref_given_up_goes_to_a_new_action_with_a_new_uid(plan, admin_user, manager):
    renamed = Action.objects.get(objective__plan=plan, ref="4.1")
    post_update(action=renamed, author=manager, expected_version=0, status="on_track", commentary="Recruiting")
    draft = start_version(plan, title="Split 4.1", user=admin_user)

    def change(content):
        objective(content, 4)["actions"][0]["ref"] = "4.1a"
        objective(content, 4)["actions"].insert(0, {"ref": "4.1", "priority": "A new first action", "deadline": "",
                                                    "owners": [], "outcomes": ""})

    save_draft(draft, edit_count=0, user=admin_user, change=change)
    result = issue_version(draft, user=admin_user)
    assert dict(result.created) == {"actions": 1} and not result.withdrawn
    new = Action.objects.get(objective__plan=plan, ref="4.1")
    renamed.refresh_from_db()
    assert new.pk != renamed.pk and new.uid not in {renamed.uid, "4.1"} and not new.updates.exists()
    assert renamed.ref == "4.1a" and renamed.updates.get().commentary == "Recruiting"


def test_a_later_version_may_give_a_withdrawn_actions_ref_to_a_new_action(plan, admin_user, manager):
    dropped = Action.objects.get(objective__plan=plan, ref="4.9")
    post_update(action=dropped, author=manager, expected_version=0, status="on_track", commentary="Started")
    first = start_version(plan, title="Drop 4.9", user=admin_user)
    save_draft(first, edit_count=0, user=admin_user, change=lambda content: objective(content, 4)["actions"].pop())
    issue_version(first, user=admin_user)
    second = start_version(plan, title="A new 4.9", user=admin_user)
    save_draft(second, edit_count=0, user=admin_user, change=lambda content: objective(content, 4)["actions"].append(
        {"ref": "4.9", "priority": "Something else", "deadline": "2026-03", "owners": [], "outcomes": ""}))
    issue_version(second, user=admin_user)
    new = Action.objects.get(objective__plan=plan, ref="4.9")
    dropped = Action.all_objects.get(pk=dropped.pk)
    assert new.pk != dropped.pk and new.priority == "Something else" and not new.updates.exists()
    assert dropped.withdrawn_at is not None and dropped.updates.get().commentary == "Started"
    compare = diff_contents(PlanVersion.objects.get(pk=first.pk).content, PlanVersion.objects.get(pk=second.pk).content)
    assert [a["key"] for a in compare.added] == ["4.9"] and not compare.reworded


def test_adding_an_action_through_the_page_gives_it_a_uid_at_once(plan, admin_client):
    start_version(plan, title="Refresh", user=None)
    admin_client.post(reverse("plans:draft_action_create", args=[plan.slug, 2, 4]),
                      {"edit_count": 0, "ref": "4.10", "priority": "Launch a retention bonus", "deadline": "2026-03"})
    added = objective(PlanVersion.objects.get(plan=plan, number=2).content, 4)["actions"][-1]
    assert (
        added["ref"] == "4.10"
        and added["uid"]
        and added["uid"] not in set(Action.all_objects.values_list("uid", flat=True))
    )


def test_a_change_to_an_action_someone_removed_meanwhile_is_refused_and_kept_on_the_form(plan, admin_client):
    start_version(plan, title="Refresh", user=None)
    first_uid = objective(PlanVersion.objects.get(plan=plan, number=2).content, 4)["actions"][0]["uid"]

    def remove_first(content):
        del objective(content, 4)["actions"][0]

    save_draft(PlanVersion.objects.get(plan=plan, number=2), edit_count=0, user=None, change=remove_first)
    url = reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 1])
    response = admin_client.post(url, {"edit_count": 1, "uid": first_uid, "ref": "4.1", "priority": "Typed words"})
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else removed this action" in page and "Typed words" in page
    content = objective(PlanVersion.objects.get(plan=plan, number=2).content, 4)["actions"]
    assert first_uid not in [row["uid"] for row in content] and "Typed words" not in str(content)
