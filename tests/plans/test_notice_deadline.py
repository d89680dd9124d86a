"""A revised deadline past the plan's delivery deadline (the Improvement Notice's, 31 July 2026) needs a reason that
says why, and is marked "Past the Notice deadline" wherever the deadline appears (6.8 was approved to March 2027
with no warning)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Action, DeadlineRevision, Status


@pytest.fixture
def action(plan):
    return Action.objects.get(objective__plan=plan, ref="4.1")


def _post(client, action, **data):
    return client.post(reverse("plans:action_update", args=[action.objective.plan.slug, action.ref]),
                       {"version": 0, "status": Status.AT_RISK, "commentary": "Recruitment slipped.", **data})


def test_it_asks_why_a_revised_deadline_goes_past_the_notice_deadline(manager_client, action):
    response = _post(manager_client, action, revised_deadline="2027-03")
    page = response.content.decode()
    assert "March 2027 is past the Notice delivery deadline of 31 July 2026: give the reason" in page
    assert not DeadlineRevision.objects.exists()
    response = _post(manager_client, action, revised_deadline="2026-07")  # July 2026 ends on the deadline
    assert "Give a reason for the revised deadline." in response.content.decode()


def test_it_marks_a_revised_deadline_past_the_notice_deadline_wherever_it_appears(
    manager_client, admin_user, manager, action, plan
):
    admin_client = Client()
    admin_client.force_login(admin_user)
    _post(manager_client, action, revised_deadline="2027-03", revision_reason="Recruitment in the new year.")
    revision = DeadlineRevision.objects.get()
    assert revision.past_delivery_deadline
    pending = admin_client.get(reverse("plans:revision_list", args=[plan.slug])).content.decode()
    assert "Past the Notice deadline" in pending
    assert "(past the Notice deadline of 31 July 2026) is waiting for approval" in admin_client.get(
        action.get_absolute_url()).content.decode()
    admin_client.post(reverse("plans:revision_decide", args=[plan.slug, revision.pk]), {"decision": "approve"})
    action.refresh_from_db()
    assert action.revised_deadline == datetime.date(2027, 3, 1)
    assert action.past_delivery_deadline
    for page in [action.get_absolute_url(), reverse("plans:my_actions")]:
        assert "Past the Notice deadline" in manager_client.get(page).content.decode(), page


def test_a_revised_deadline_within_the_notice_deadline_is_not_marked(action):
    action.revised_deadline = datetime.date(2026, 7, 1)
    assert not action.past_delivery_deadline
    action.revised_deadline = datetime.date(2026, 8, 1)
    assert action.past_delivery_deadline
