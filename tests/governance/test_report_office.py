"""The board report in Excel (sheets for summary, actions, measures and narrative, numbers and dates typed) and Word."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Board, BoardReport, Meeting
from measures.models import Figure, Measure, MeasurePlacement
from plans.models import Action, Objective, Status
from plans.services import post_update


@pytest.fixture
def report(plan, manager):
    post_update(action=Action.objects.get(objective__plan=plan, ref="4.1"), author=manager, expected_version=0,
                status=Status.AT_RISK, commentary="=SUM(A1) two posts filled")
    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    for month, value in [(3, 62), (4, 66.5), (5, 71.25)]:
        Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=value)
    MeasurePlacement.objects.create(measure=measure, objective=Objective.objects.get(plan=plan, number=4), order=99)
    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=datetime.date(2025, 9, 15)
    )
    return BoardReport.objects.create(meeting=meeting, plan=plan, as_at=timezone.localdate(),
                                      title="Report to the board", analysis="Workforce remains the main risk.")


def rows_by(sheet, column, value):
    return [row for row in sheet.iter_rows(min_row=5) if row[column].value == value]


def test_it_writes_numbers_as_numbers_and_dates_as_dates_on_four_titled_sheets(board_client, report):
    response = board_client.get(reverse("governance:report_xlsx", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Actions", "Measures", "Narrative"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "Report to the board"
        assert sheet["A2"].value == "Data as at"
        assert sheet["B2"].value.date() == timezone.localdate() and sheet["B2"].is_date
        assert sheet["B2"].number_format == "d mmmm yyyy"
        assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABCD")
        assert sheet.freeze_panes == "A5"

    measures = workbook["Measures"]
    assert [cell.value for cell in measures[4]][:8] == [
        "Code", "Objective", "Measure", "RAG", "Latest", "Month", "Target", "Baseline"]
    rows = rows_by(measures, 0, "SUPERVISION")
    assert len(rows) == 2 and len({row[1].value for row in rows}) == 2  # once per objective, labelled
    latest, month, target, baseline = rows[0][4], rows[0][5], rows[0][6], rows[0][7]
    assert latest.data_type == "n" and latest.value == pytest.approx(0.7125) and latest.number_format == "0.0#%"
    assert target.value == pytest.approx(0.8) and baseline.value == pytest.approx(0.62)
    assert month.is_date and month.value.date() == datetime.date(2025, 5, 1) and month.number_format == "mmmm yyyy"
    codes = [(row[1].value, row[0].value) for row in measures.iter_rows(min_row=5)]
    assert len(codes) == len(set(codes))

    actions = workbook["Actions"]
    row = rows_by(actions, 0, "4.1")[0]
    assert row[4].is_date and row[4].number_format == "mmmm yyyy"  # by when, a month
    assert row[7].value == "=SUM(A1) two posts filled" and row[7].data_type == "s"  # text, never a formula
    assert row[9].is_date and row[9].value.date() == timezone.localdate()

    summary = workbook["Summary"]
    counts = [row for row in summary.iter_rows(min_row=5) if row[0].value == "Actions"]
    assert counts and all(row[2].data_type == "n" for row in counts)

    narrative = workbook["Narrative"]
    assert ["Analysis", "Workforce remains the main risk."] in [
        [cell.value for cell in row[:2]] for row in narrative.iter_rows(min_row=5)]


def test_it_writes_the_report_as_word_with_heading_styles_and_table_header_rows(board_client, report):
    from docx import Document

    response = board_client.get(reverse("governance:report_docx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-draft.docx"')
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Report to the board"
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Report to the board")
    assert ("Heading 2", "Analysis") in headings and ("Heading 2", "Objective 4: Workforce") in headings
    assert any(p.text == "Workforce remains the main risk." for p in document.paragraphs)
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref")
    header = actions.rows[0]._tr.trPr
    assert header is not None and header.xpath("./w:tblHeader")  # repeated at the top of each page
    assert [cell.text for cell in actions.rows[0].cells] == [
        "Ref", "Action", "Status", "By when", "Latest commentary and evidence"]
    rows = {row.cells[0].text: row for t in document.tables for row in t.rows}
    assert rows["4.1"].cells[4].text == "=SUM(A1) two posts filled"
    page = board_client.get(reverse("governance:report_detail", args=[report.pk])).content.decode()
    assert reverse("governance:report_docx", args=[report.pk]) in page and "Download Word" in page
