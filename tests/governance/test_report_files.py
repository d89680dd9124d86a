"""A board report downloads as PDF and Excel whatever text it holds: issued reports are frozen, so it must."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Board, BoardReport, Meeting
from governance.reports import issue_report
from plans.models import Action, Status
from plans.services import post_update
from tests.pdf_text import pdf_text

# Text as it may already be stored: typed before input was cleaned, or pasted from Word.
AWKWARD = {
    "vertical tab": "Two posts filled.\x0bOne to go.",
    "escape and bell": "Recruit\x1b seniors\x07 now.",
    "many short lines": "Done.\n" * 160,
    "a formula": "=HYPERLINK(\"https://evil.example\", \"click\")",
    "markup": "<b>bold</b> & <i>not closed",
    "a very long word": "x" * 5000,
}


@pytest.fixture
def issued_report(plan, manager, admin_user, request):
    commentary = request.param
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    post_update(action=action, author=manager, expected_version=0, status=Status.AT_RISK, commentary=commentary)
    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=datetime.date(2025, 9, 15)
    )
    report = BoardReport.objects.create(
        meeting=meeting, plan=plan, as_at=timezone.localdate(), title="Report\x0b to the board",
        analysis="Line one.\x0bLine two.\n" * 200,
    )
    issue_report(report=report, user=admin_user)
    report.refresh_from_db()
    assert report.is_issued
    return report, commentary


@pytest.mark.parametrize("issued_report", AWKWARD.values(), ids=AWKWARD.keys(), indirect=True)
def test_it_downloads_an_issued_report_as_excel_whatever_its_text(board_client, issued_report):
    report, commentary = issued_report
    response = board_client.get(reverse("governance:report_xlsx", args=[report.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Actions"]
    row = next(row for row in sheet.iter_rows() if row[0].value == "4.1")
    cell = row[7]
    assert cell.data_type == "s"  # a formula stays text
    assert cell.value.replace("\n", "") == commentary.replace("\x0b", "").replace("\x1b", "").replace(
        "\x07", "").replace("\n", "")


@pytest.mark.parametrize("issued_report", AWKWARD.values(), ids=AWKWARD.keys(), indirect=True)
def test_it_downloads_an_issued_report_as_pdf_whatever_its_text(board_client, issued_report):
    report, _ = issued_report
    response = board_client.get(reverse("governance:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Line one." in text and "Line two." in text


def test_it_goes_on_over_the_page_when_a_cell_is_taller_than_a_page(plan, manager):
    from governance.report_files import report_pdf
    from governance.reports import report_snapshot

    action = Action.objects.get(objective__plan=plan, ref="4.1")
    lines = "".join(f"{n}\n" for n in range(150))
    post_update(action=action, author=manager, expected_version=0, status=Status.ON_TRACK, commentary=lines)
    snapshot = report_snapshot(plan=plan, as_at=timezone.localdate(), since=None)
    pdf = report_pdf(BoardReport(title="Report", as_at=timezone.localdate(), plan=plan), snapshot)
    text = pdf_text(pdf)
    assert text.count("\f") >= 2
    assert set(map(str, range(150))) <= set(text.split())  # every line, none cut
