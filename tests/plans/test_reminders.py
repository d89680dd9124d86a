import datetime

from django.core import mail
from django.core.management import call_command

from plans.models import Action, Status

DAY = datetime.date(2025, 6, 10)


def test_it_sends_one_email_per_person_listing_their_actions(manager, other_manager):
    manager.email, other_manager.email = "sam@council.example", "otto@council.example"
    manager.save(), other_manager.save()
    call_command("send_update_reminders", "--date", DAY.isoformat())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"sam@council.example", "otto@council.example"}
    body = by_recipient["sam@council.example"].body
    for ref in ("4.1", "4.2", "4.5"):
        assert f"- {ref} " in body
    assert "/plans/knowsley-improvement-plan-2025/actions/4.1/update/" in body
    assert "- 5.12 " not in body


def test_it_sends_nothing_more_the_same_day(manager):
    manager.email = "sam@council.example"
    manager.save()
    call_command("send_update_reminders", "--date", DAY.isoformat())
    call_command("send_update_reminders", "--date", DAY.isoformat())
    assert len(mail.outbox) == 1
    call_command("send_update_reminders", "--date", (DAY + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2


def test_it_leaves_out_complete_and_recently_updated_actions_not_due_soon(manager):
    manager.email = "sam@council.example"
    manager.save()
    Action.objects.filter(ref="4.1").update(status=Status.COMPLETE)
    Action.objects.filter(ref="4.5").update(
        status=Status.ON_TRACK, last_update_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    call_command("send_update_reminders", "--date", DAY.isoformat())
    body = mail.outbox[0].body
    assert "- 4.2 " in body  # never updated
    assert "- 4.1 " not in body and "- 4.5 " not in body  # complete; updated 9 days ago, due April 2026
