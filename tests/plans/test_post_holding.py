"""A post holding counts from its `started` day and stops on its `ended` day, everywhere holding decides.

`ended` is the first day the person no longer holds the post: an admin who ends a holding today
takes the access away at once.
"""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, Meeting, MeetingAction
from plans.models import Action, ActionUpdate, Post, PostHolder, Status

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# (started, ended) relative to today, and whether the holding is in force today.
BOUNDARIES = {
    "started tomorrow": (TODAY + DAY, None, False),
    "started today": (TODAY, None, True),
    "ended tomorrow": (TODAY - 30 * DAY, TODAY + DAY, True),
    "ended today": (TODAY - 30 * DAY, TODAY, False),
    "ended yesterday": (TODAY - 30 * DAY, TODAY - DAY, False),
}


@pytest.fixture(params=BOUNDARIES.values(), ids=BOUNDARIES.keys())
def holding(request, manager):
    """The manager's Head of Workforce holding (owner of 4.1), dated; and whether it is in force today."""
    started, ended, in_force = request.param
    held = PostHolder.objects.get(user=manager)
    held.started, held.ended = started, ended
    held.save()
    return in_force


def test_it_lists_my_actions_only_while_the_holding_is_in_force(manager_client, holding):
    page = manager_client.get(reverse("plans:my_actions")).content.decode()
    assert ("Head of Workforce" in page) is holding
    assert (reverse("plans:action_update", args=["knowsley-improvement-plan-2025", "4.1"]) in page) is holding


def test_it_lets_the_holder_update_the_action_only_while_the_holding_is_in_force(manager_client, plan, holding):
    url = reverse("plans:action_update", args=[plan.slug, "4.1"])
    assert manager_client.get(url).status_code == (200 if holding else 403)
    response = manager_client.post(url, {"version": 0, "status": "on_track", "commentary": "Agency use down"})
    assert response.status_code == (302 if holding else 403)
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    assert ActionUpdate.objects.filter(action=action, commentary="Agency use down").exists() is holding
    assert (action.status == Status.ON_TRACK) is holding


def test_it_lets_the_holder_move_an_action_arising_only_while_the_holding_is_in_force(manager_client, plan, holding):
    meeting = Meeting.objects.create(board=Board.objects.get(slug="knowsley-improvement-board"), date=TODAY)
    item = MeetingAction.objects.create(
        meeting=meeting,
        description="Bring the agency plan",
        owner=Post.objects.get(name="Head of Workforce"),
        due=TODAY,
    )
    assert ("Bring the agency plan" in manager_client.get(reverse("plans:my_actions")).content.decode()) is holding
    response = manager_client.post(reverse("governance:meeting_action_status", args=[item.pk]), {"status": "complete"})
    assert response.status_code == (302 if holding else 403)
    item.refresh_from_db()
    assert (item.status == Status.COMPLETE) is holding


def test_it_reminds_the_holder_only_while_the_holding_is_in_force(manager, holding):
    manager.email = "sam@council.example"
    manager.save()
    call_command("send_update_reminders", "--date", TODAY.isoformat())
    assert [message.to for message in mail.outbox] == ([["sam@council.example"]] if holding else [])


def test_reminders_for_a_past_day_use_the_holdings_of_that_day(manager):
    manager.email = "sam@council.example"
    manager.save()
    PostHolder.objects.filter(user=manager).update(started=TODAY - 10 * DAY, ended=TODAY - 5 * DAY)
    call_command("send_update_reminders", "--date", (TODAY - 7 * DAY).isoformat())
    call_command("send_update_reminders", "--date", (TODAY - 3 * DAY).isoformat())
    assert len(mail.outbox) == 1


def test_an_ended_day_before_the_started_day_is_refused(manager):
    from django.core.exceptions import ValidationError

    held = PostHolder.objects.get(user=manager)
    held.started, held.ended = TODAY, TODAY - DAY
    with pytest.raises(ValidationError) as error:
        held.full_clean()
    assert "ended" in error.value.message_dict
