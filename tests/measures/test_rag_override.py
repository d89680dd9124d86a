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
