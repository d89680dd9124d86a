import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence, Post, PostHolder, Status


@pytest.fixture
def action(plan):
    return Action.objects.get(objective__plan=plan, ref="4.1")


def update_url(action):
    return reverse("plans:action_update", args=[action.objective.plan.slug, action.ref])


def form_data(**overrides):
    return {"version": 0, "status": Status.ON_TRACK, "commentary": "Workforce plan drafted.", **overrides}


def test_it_saves_an_update_and_shows_it_on_the_action(manager_client, manager, action):
    response = manager_client.post(update_url(action), form_data(next_steps="Take it to cabinet."))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK
    assert action.version == 1
    update = action.updates.get()
    assert (update.author, update.next_steps) == (manager, "Take it to cabinet.")
    page = manager_client.get(action.get_absolute_url()).content.decode()
    assert "Workforce plan drafted." in page and "On track" in page


def test_it_records_who_changed_the_action_from_what_to_what(manager_client, manager, action):
    manager_client.post(update_url(action), form_data(status=Status.AT_RISK, commentary="Two leavers."))
    latest = action.history.latest()
    assert latest.history_user == manager
    delta = latest.diff_against(latest.prev_record)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["status"] == (Status.NOT_STARTED, Status.AT_RISK)


@pytest.mark.parametrize("status", [Status.AT_RISK, Status.OFF_TRACK])
def test_it_needs_commentary_for_at_risk_and_off_track_and_keeps_what_was_typed(manager_client, action, status):
    response = manager_client.post(
        update_url(action), form_data(status=status, commentary="", next_steps="Recruit two seniors.")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say why the action is" in html
    assert "Recruit two seniors." in html
    assert 'href="#id_commentary"' in html
    assert not ActionUpdate.objects.exists()


def test_it_refuses_an_action_another_post_owns(client, other_manager, action):
    client.force_login(other_manager)
    assert client.get(update_url(action)).status_code == 403
    assert client.post(update_url(action), form_data()).status_code == 403
    assert not ActionUpdate.objects.exists()


def test_it_refuses_every_write_by_a_board_member(board_client, action):
    assert board_client.get(update_url(action)).status_code == 403
    assert board_client.post(update_url(action), form_data()).status_code == 403


def test_it_lets_an_admin_update_any_action(admin_client, action):
    assert admin_client.post(update_url(action), form_data()).status_code == 302


def test_it_never_silently_overwrites_a_concurrent_update(client, manager, django_user_model, action):
    colleague = django_user_model.objects.create_user("cleo", first_name="Cleo", last_name="Colleague")
    colleague.groups.set(manager.groups.all())
    PostHolder.objects.create(post=Post.objects.get(name="Head of Workforce"), user=colleague)

    # Both opened the form at version 0; Cleo saves first.
    client.force_login(colleague)
    client.post(update_url(action), form_data(status=Status.OFF_TRACK, commentary="Budget frozen."))
    client.force_login(manager)
    response = client.post(update_url(action), form_data(commentary="All fine here.", next_steps="Carry on."))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else updated this action" in html
    assert "Budget frozen." in html  # what changed
    assert "All fine here." in html and "Carry on." in html  # what they typed
    action.refresh_from_db()
    assert (action.status, action.updates.count()) == (Status.OFF_TRACK, 1)

    # Having seen it, they resubmit against the version shown.
    assert response.context["form"].data["version"] == 1
    again = client.post(update_url(action), form_data(version=1, commentary="Seen Cleo's note; still fine."))
    assert again.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.updates.count(), action.version) == (Status.ON_TRACK, 2, 2)


def test_it_holds_a_revised_deadline_until_an_admin_approves_it(manager_client, admin_client, action, plan):
    manager_client.post(
        update_url(action),
        form_data(revised_deadline="2025-12", revision_reason="Waiting for the People Strategy."),
    )
    action.refresh_from_db()
    assert action.revised_deadline is None
    revision = DeadlineRevision.objects.get()
    assert (revision.previous_deadline, revision.new_deadline) == (
        datetime.date(2025, 6, 1),
        datetime.date(2025, 12, 1),
    )

    response = admin_client.post(
        reverse("plans:revision_decide", args=[plan.slug, revision.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.revised_deadline, action.deadline, action.replan_count) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 6, 1),
        1,
    )
    page = admin_client.get(action.get_absolute_url()).content.decode()
    assert "December 2025" in page and "revised from June 2025" in page and "Re-planned 1 time." in page


def test_it_needs_a_reason_for_a_revised_deadline(manager_client, action):
    response = manager_client.post(update_url(action), form_data(revised_deadline="2025-12"))
    assert "Give a reason for the revised deadline" in response.content.decode()


def test_it_does_not_let_a_board_member_or_manager_approve(board_client, manager_client, manager, action, plan):
    revision = DeadlineRevision.objects.create(
        action=action, new_deadline=datetime.date(2026, 1, 1), reason="x", requested_by=manager
    )
    url = reverse("plans:revision_decide", args=[plan.slug, revision.pk])
    assert board_client.post(url, {"decision": "approve"}).status_code == 403
    revision.refresh_from_db()
    assert revision.decision == DeadlineRevision.Decision.PENDING


def test_it_rejects_a_revised_deadline_without_moving_it(admin_client, manager, action, plan):
    revision = DeadlineRevision.objects.create(
        action=action, new_deadline=datetime.date(2026, 1, 1), reason="x", requested_by=manager
    )
    admin_client.post(reverse("plans:revision_decide", args=[plan.slug, revision.pk]), {"decision": "reject"})
    action.refresh_from_db()
    assert (action.revised_deadline, action.replan_count) == (None, 0)


def test_it_keeps_evidence_links_and_files(manager_client, action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("audit-summary.pdf", b"%PDF-1.4 audit", content_type="application/pdf")
    response = manager_client.post(
        update_url(action),
        form_data(link_title="Workforce plan", link_url="https://intranet.example/plan", files=[pdf]),
    )
    assert response.status_code == 302
    link, upload = Evidence.objects.order_by("file")
    assert link.url == "https://intranet.example/plan"
    assert (upload.title, upload.size) == ("audit-summary.pdf", 14)
    download = manager_client.get(upload.get_absolute_url())
    assert b"".join(download.streaming_content) == b"%PDF-1.4 audit"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("tool.exe", b"MZ...", "evidence must be one of"),
        ("fake.pdf", b"MZ not a pdf", "is not a real .pdf file"),
    ],
)
def test_it_refuses_evidence_of_the_wrong_type(manager_client, action, name, content, message):
    response = manager_client.post(update_url(action), form_data(files=[SimpleUploadedFile(name, content)]))
    assert message in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_it_refuses_evidence_over_the_size_limit(manager_client, action, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    response = manager_client.post(
        update_url(action), form_data(files=[SimpleUploadedFile("big.txt", b"x" * 11)])
    )
    assert "evidence files must be smaller than" in response.content.decode()


def test_it_keeps_ownership_and_history_when_a_post_changes_hands(client, manager, django_user_model, action):
    client.force_login(manager)
    client.post(update_url(action), form_data())
    holding = manager.post_holdings.get()
    holding.ended = datetime.date(2025, 9, 30)
    holding.save()
    successor = django_user_model.objects.create_user("nia")
    successor.groups.set(manager.groups.all())
    PostHolder.objects.create(post=holding.post, user=successor)

    assert client.get(update_url(action)).status_code == 403
    client.force_login(successor)
    assert client.get(update_url(action)).status_code == 200
    assert action.updates.get().author == manager


def test_it_lists_my_actions_overdue_first(manager_client, action):
    Action.objects.filter(ref="4.5").update(deadline=datetime.date(2020, 1, 1))
    response = manager_client.get(reverse("plans:my_actions"))
    refs = [a.ref for a in response.context["actions"]]
    assert refs[0] == "4.5"
    assert sorted(refs) == ["4.1", "4.2", "4.5"]
    assert "Update due" in response.content.decode()
