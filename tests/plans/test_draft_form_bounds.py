"""A plan version's draft takes only what issuing it can load: owner posts within a post's name, sane deadlines."""

import pytest
from django.urls import reverse

from plans.models import PlanVersion
from plans.versions import start_version


@pytest.fixture
def draft_url(plan, admin_user):
    start_version(plan, title="October 2025 refresh", user=admin_user)
    return reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 1])


def draft(plan):
    return PlanVersion.objects.get(plan=plan, number=2)


def test_it_refuses_an_owner_post_longer_than_a_post_name_and_keeps_what_was_typed(admin_client, plan, draft_url):
    before = draft(plan).content
    data = {"edit_count": 0, "ref": "4.1", "priority": "Reworded", "deadline": "2025-12",
            "owners": "Head of Workforce\n" + "P" * 201}
    html = admin_client.post(draft_url, data).content.decode()
    assert "Each post must be 200 characters or fewer" in html and "Reworded" in html
    assert draft(plan).content == before


@pytest.mark.parametrize("month", ["0001-01", "2101-01"])
def test_it_refuses_a_deadline_outside_sane_years(admin_client, plan, draft_url, month):
    before = draft(plan).content
    data = {"edit_count": 0, "ref": "4.1", "priority": "Reworded", "deadline": month, "owners": "Head of Workforce"}
    html = admin_client.post(draft_url, data).content.decode()
    assert "By when must be between 2000 and 2100" in html
    assert draft(plan).content == before


def test_it_stores_draft_text_without_control_characters(admin_client, plan, draft_url):
    data = {"edit_count": 0, "ref": "4.1", "priority": "Re\x00worded\x0bplan", "deadline": "2025-12",
            "owners": "Head of Workforce"}
    assert admin_client.post(draft_url, data).status_code == 302
    objectives = draft(plan).content["objectives"]
    priorities = [action["priority"] for objective in objectives for action in objective["actions"]]
    assert "Reworded\nplan" in priorities
