"""Derived flags of an action, computed for any date, without the database."""

import datetime

import pytest
from django.utils import timezone

from plans.models import Action, Brag, Status


def action(deadline=datetime.date(2025, 6, 1), status=Status.ON_TRACK, last_update=None, revised=None):
    return Action(
        ref="1.1",
        deadline=deadline,
        revised_deadline=revised,
        status=status,
        last_update_at=last_update and timezone.make_aware(datetime.datetime.combine(last_update, datetime.time(9))),
    )


@pytest.mark.parametrize(
    "on, overdue",
    [
        (datetime.date(2025, 6, 30), False),  # "By June 2025" means by the end of June
        (datetime.date(2025, 7, 1), True),
    ],
)
def test_it_is_overdue_only_after_the_end_of_its_deadline_month(on, overdue):
    assert action().is_overdue(on) is overdue


def test_it_is_red_overdue_whatever_was_last_said():
    state = action(status=Status.ON_TRACK).brag(datetime.date(2025, 8, 1))
    assert (state.brag, state.label) == (Brag.RED, "Overdue")


def test_it_is_never_overdue_once_complete():
    state = action(status=Status.COMPLETE).brag(datetime.date(2026, 8, 1))
    assert (state.brag, state.label) == (Brag.BLUE, "Complete")


@pytest.mark.parametrize(
    "status, brag",
    [
        (Status.NOT_STARTED, Brag.GREY),
        (Status.ON_TRACK, Brag.GREEN),
        (Status.AT_RISK, Brag.AMBER),
        (Status.OFF_TRACK, Brag.RED),
        (Status.COMPLETE, Brag.BLUE),
    ],
)
def test_it_shows_each_status_as_its_brag_colour_and_words(status, brag):
    state = action(status=status).brag(datetime.date(2025, 5, 1))
    assert (state.brag, state.label) == (brag, Status(status).label)


def test_it_uses_the_approved_revised_deadline_and_keeps_the_original():
    revised = action(revised=datetime.date(2025, 9, 1))
    assert revised.is_overdue(datetime.date(2025, 8, 15)) is False
    assert revised.is_overdue(datetime.date(2025, 10, 1)) is True
    assert revised.deadline == datetime.date(2025, 6, 1)


@pytest.mark.parametrize(
    "last_update, on, due",
    [
        (None, datetime.date(2025, 5, 1), True),
        (datetime.date(2025, 5, 1), datetime.date(2025, 6, 5), False),  # 35 days: not yet
        (datetime.date(2025, 5, 1), datetime.date(2025, 6, 6), True),  # 36 days
    ],
)
def test_it_says_an_update_is_due_after_the_set_number_of_days(last_update, on, due, settings):
    settings.ACTION_UPDATE_DUE_DAYS = 35
    assert action(last_update=last_update).update_is_due(on) is due


def test_it_asks_no_update_of_a_complete_action():
    assert action(status=Status.COMPLETE).update_is_due(datetime.date(2030, 1, 1)) is False


def test_it_is_due_soon_within_the_window():
    assert action().is_due_within(datetime.date(2025, 6, 1), 30) is True
    assert action().is_due_within(datetime.date(2025, 5, 1), 30) is False
