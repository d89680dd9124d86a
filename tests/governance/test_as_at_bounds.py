"""An "as at" date from the address bar that no plan can have (year 1) is refused with a message, not a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone


@pytest.mark.parametrize("view", ["governance:dashboard", "governance:changes", "plans:action_list",
                                  "measures:measure_list"])
def test_it_shows_today_and_says_why_for_a_date_too_far_back(board_client, plan, view):
    response = board_client.get(reverse(view, args=[plan.slug]), {"as_at": "0001-01-01"})
    assert response.status_code == 200
    assert "too far back" in response.content.decode()
    if "as_at" in response.context:
        assert response.context["as_at"] == timezone.localdate()


def test_it_shows_the_month_before_for_a_start_date_too_far_back(board_client, plan):
    response = board_client.get(reverse("governance:changes", args=[plan.slug]), {"since": "0001-01-01"})
    assert response.status_code == 200
    assert "“0001-01-01” is too far back: choose a date from 01 January 2000 on." in response.content.decode()
