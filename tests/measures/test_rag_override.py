"""An admin overrides the RAG of the month the page offers (the latest with a figure), and no other."""

import datetime

import pytest
from django.urls import reverse

from measures.models import Figure, Measure, RagOverride


@pytest.fixture
def supervision(plan):
    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    for month, value in [(4, 66), (5, 71)]:
        Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=value)
    return measure


def _url(measure):
    return reverse("measures:measure_detail", args=[measure.plan.slug, measure.code])


def test_it_overrides_the_latest_month_the_page_offers(admin_client, supervision):
    page = admin_client.get(_url(supervision)).content.decode()
    assert 'name="month" value="2025-05-01"' in page
    response = admin_client.post(_url(supervision), {"month": "2025-05-01", "rag": "green", "reason": "Audit agrees"})
    assert response.status_code == 302
    override = RagOverride.objects.get()
    assert (override.month, override.rag, override.reason) == (datetime.date(2025, 5, 1), "green", "Audit agrees")


@pytest.mark.parametrize("month", ["2099-01-01", "1999-05-01", "2025-04-01", "2025-05-17"])
def test_it_refuses_a_month_the_page_did_not_offer_and_keeps_the_reason(admin_client, supervision, month):
    response = admin_client.post(_url(supervision), {"month": month, "rag": "green", "reason": "Typed reason"})
    page = response.content.decode()
    assert response.status_code == 200 and not RagOverride.objects.exists()
    assert "There is a problem" in page and "Typed reason" in page
    assert "May 2025" in page  # says which month it can override


def test_it_refuses_an_override_when_the_measure_has_no_figure(admin_client, plan):
    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    response = admin_client.post(_url(measure), {"month": "2025-05-01", "rag": "green", "reason": "No figure"})
    assert response.status_code == 200 and not RagOverride.objects.exists()


def test_a_second_admin_overriding_the_same_month_is_told_and_keeps_their_reason(admin_client, supervision,
                                                                               django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    bea = django_user_model.objects.create_user(username="bea", password="x" * 16, first_name="Bea", last_name="Admin")
    bea.groups.add(Group.objects.get_or_create(name="Admin")[0])
    bea_client = Client()
    bea_client.force_login(bea)
    assert 'name="seen"' in admin_client.get(_url(supervision)).content.decode()  # Ada opens the page: no override
    bea_client.post(_url(supervision), {"month": "2025-05-01", "rag": "red", "reason": "Bea: audit found gaps",
                                        "seen": ""})
    refused = admin_client.post(_url(supervision), {"month": "2025-05-01", "rag": "green", "reason": "Ada: fine",
                                                    "seen": ""})
    page = refused.content.decode()
    override = RagOverride.objects.get()
    assert refused.status_code == 409 and (override.rag, override.set_by) == ("red", bea)
    assert "Bea Admin overrode the RAG for May 2025" in page and "Bea: audit found gaps" in page and "Ada: fine" in page
    seen = override.set_at.isoformat()
    assert f'value="{seen}"' in page  # saving again, having seen Bea's, replaces it knowingly
    admin_client.post(_url(supervision), {"month": "2025-05-01", "rag": "green", "reason": "Ada: fine", "seen": seen})
    override.refresh_from_db()
    assert (override.rag, override.reason) == ("green", "Ada: fine")
