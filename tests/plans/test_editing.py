"""The one conflict mechanism (plans/editing.py): claim, what changed, who changed it."""

import datetime

import pytest
from django.db import transaction

from governance.models import Board, Meeting
from plans.editing import Frozen, Stale, claim, save_edit, seen_count


@pytest.fixture
def meeting(plan):
    return Meeting.objects.create(board=Board.objects.get(slug="knowsley-improvement-board"),
                                  date=datetime.date(2025, 9, 15), minutes="Before")


def test_it_claims_only_inside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        claim(Meeting, 1, seen=0)


def test_it_says_what_changed_from_what_and_by_whom(meeting, admin_user):
    save_edit(meeting, seen=0, values={"minutes": "After"}, user=admin_user)
    with pytest.raises(Stale) as caught, transaction.atomic():
        claim(Meeting, meeting.pk, seen=0, compare=["minutes", "decisions"])
    stale = caught.value
    assert [(c.what, c.before, c.now) for c in stale.changes] == [("Minutes", "Before", "After")]
    assert stale.by == "ada" and stale.at and stale.record.edit_count == 1


def test_a_refused_claim_changes_nothing(meeting, admin_user):
    with pytest.raises(Stale):
        save_edit(meeting, seen=3, values={"minutes": "Forged"}, user=admin_user)
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.edit_count, meeting.history.count()) == ("Before", 0, 1)


def test_a_frozen_record_is_refused_whatever_the_count(meeting, admin_user):
    from django.db.models import Q

    with pytest.raises(Frozen, match="closed"):
        save_edit(meeting, seen=0, values={"minutes": "x"}, user=admin_user, editable=Q(minutes="open"),
                  frozen="closed")
    assert Meeting.objects.get().edit_count == 0


@pytest.mark.parametrize("posted, seen", [({"edit_count": "4"}, 4), ({}, -1), ({"edit_count": "x"}, -1),
                                          ({"edit_count": "-2"}, -1), ({"edit_count": " 7 "}, 7)])
def test_a_missing_or_garbled_count_is_never_taken_as_current(posted, seen):
    assert seen_count(posted) == seen
