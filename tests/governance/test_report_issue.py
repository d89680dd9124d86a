"""Issuing a board report asks for confirmation, listing what will be frozen and what the board would miss."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, BoardReport, Meeting
from measures.models import Figure, Measure


@pytest.fixture
def report(plan):
    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=datetime.date(2025, 9, 15)
    )
    return BoardReport.objects.create(meeting=meeting, plan=plan, as_at=timezone.localdate(), title="Report",
                                      analysis="Workforce is the risk.")


def test_it_asks_before_issuing_and_warns_of_empty_sections_and_missing_figures(admin_client, report, plan):
    Figure.objects.create(measure=Measure.objects.get(plan=plan, code="SUPERVISION"),
                          month=timezone.localdate().replace(day=1), value=71)
    detail = admin_client.get(report.get_absolute_url()).content.decode()
    confirm = reverse("governance:report_issue_confirm", args=[report.pk])
    assert f'href="{confirm}"' in detail
    page = admin_client.get(confirm).content.decode()
    assert "Check before you issue the report" in page
    assert "Views of frontline staff, children and young people” section is empty" in page
    assert "“Recommendations” section is empty" in page and "“Analysis” section is empty" not in page
    no_figure = Measure.objects.filter(plan=plan).exclude(code="SUPERVISION").count()
    assert f"{no_figure} measures have no figure at" in page
    assert "% of cases with supervisions undertaken" not in page.split("have no figure at")[1].split("</li>")[0]
    assert "after today" not in page
    report.refresh_from_db()
    assert not report.is_issued  # looking at it freezes nothing
    admin_client.post(reverse("governance:report_issue", args=[report.pk]), {"edit_count": report.edit_count})
    report.refresh_from_db()
    assert report.is_issued
    assert "already been issued" in admin_client.get(confirm).content.decode()


def test_it_warns_when_the_data_date_is_after_today(admin_client, report):
    BoardReport.objects.filter(pk=report.pk).update(as_at=timezone.localdate() + datetime.timedelta(days=3))
    page = admin_client.get(reverse("governance:report_issue_confirm", args=[report.pk])).content.decode()
    assert "which is after today" in page
