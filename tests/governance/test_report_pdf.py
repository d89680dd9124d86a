"""The board report PDF: WeasyPrint's tagged PDF/UA of the page's own HTML, checked for structure and text."""

import datetime
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, BoardReport, Meeting
from governance.reports import issue_report
from measures.models import Figure, Measure
from plans.models import Action, Status
from plans.services import post_update
from tests.form_fuzz import no_spaces

LONG = ("Recruit and induct twelve permanent social workers for the locality teams, with a named practice "
        "supervisor for each, so that no child has more than one change of worker in a year; report the "
        "caseloads of each team to the board every month, with the vacancies and agency staff. ") * 3


def pdftotext(content: bytes) -> list[str]:
    """Each page's text in the order it is drawn (WeasyPrint draws in the order of the page)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True, text=True).stdout
    return text.split("\f")[:-1]


def running_text(pages: list[str]) -> str:
    """The pages' text as one, without spaces, less each page's header, footer and repeated table headings,
    so that a cell going on over a page reads on."""
    whole = []
    for page in pages:
        lines = page.strip().split("\n")
        body = no_spaces("\n".join(line for line in lines if "Data as at" not in line
                                    and not re.fullmatch(r"Page \d+ of \d+", line)))
        for heading in ("RefActionStatusBywhenLatestcommentaryandevidence",
                        "MeasureLatestTargetBaselineRAGTrend,last12months"):
            body = body.removeprefix(heading)
        whole.append(body)
    return "".join(whole)


def struct_tags(pdf) -> list[tuple[str, object]]:
    """Every structure element's tag and element, from the StructTreeRoot down."""
    found = []

    def walk(node, depth=0):
        if depth > 200:
            return
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append((str(node.S)[1:], node))
            if "/K" in node:
                walk(node.K, depth + 1)

    walk(pdf.Root.StructTreeRoot.K)
    return found


@pytest.fixture
def report(plan, manager, admin_user):
    for ref in ("4.1", "4.2"):
        action = Action.objects.get(objective__plan=plan, ref=ref)
        post_update(action=action, author=manager, expected_version=0, status=Status.AT_RISK,
                    commentary=f"{ref}: {LONG}")
    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    for month, value in [(3, 62), (4, 66), (5, 71)]:
        Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=value)
    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=datetime.date(2025, 9, 15)
    )
    return BoardReport.objects.create(
        meeting=meeting, plan=plan, as_at=timezone.localdate(), title="Report to the improvement board",
        analysis="Workforce remains the main risk. " * 120,
    )


def test_it_writes_a_tagged_pdf_ua_with_language_title_headings_tables_and_chart_alt_text(board_client, report):
    response = board_client.get(reverse("governance:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pikepdf.open(io.BytesIO(response.content))
    assert str(pdf.Root.Lang) == "en-GB"
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    assert str(pdf.docinfo["/Title"]) == "Report to the improvement board"
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == "Report to the improvement board"
        assert xmp["pdfuaid:part"] == "1"
    tags = struct_tags(pdf)
    names = [name for name, _ in tags]
    assert names.count("H1") == 1 and names.count("H2") >= 5
    assert "Table" in names and "TH" in names and "TD" in names
    figures = [element for name, element in tags if name == "Figure"]
    assert figures and all("/Alt" in figure for figure in figures)
    assert any("supervisions undertaken: 3 months, from 62 in March 2025 to 71 in May 2025" in str(f.Alt)
               for f in figures)
    # Reading order: the headings come in the order of the page.
    headings = [name for name in names if name in ("H1", "H2")]
    assert headings[0] == "H1"


def test_it_numbers_each_page_heads_it_and_prints_every_action_in_full(board_client, report):
    pages = pdftotext(board_client.get(reverse("governance:report_pdf", args=[report.pk])).content)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Data as at " + timezone.localdate().strftime("%-d %B %Y") in page
        assert "Draft: not yet issued" in page
    whole = running_text(pages)
    assert "…" not in "".join(pages)
    for ref in ("4.1", "4.2"):
        assert no_spaces(f"{ref}: {LONG}") in whole
    for action in Action.objects.filter(objective__plan=report.plan):
        # pdftotext joins a line ending in a hyphen to the next as if the word were hyphenated there.
        assert no_spaces(action.priority).replace("-", "") in whole.replace("-", "")
    assert re.search(r"\d{4}-\d{2}-\d{2}", "".join(pages)) is None  # UK dates, never ISO


def test_an_issued_report_prints_its_frozen_data_with_its_issue_date(board_client, report, admin_user, manager):
    issue_report(report=report, user=admin_user)
    report.refresh_from_db()
    action = Action.objects.get(objective__plan=report.plan, ref="4.1")
    post_update(action=action, author=manager, expected_version=1, status=Status.COMPLETE,
                commentary="Finished after the report was issued")
    pages = pdftotext(board_client.get(reverse("governance:report_pdf", args=[report.pk])).content)
    issued = f"Issued {timezone.localtime(report.issued_at):%-d %B %Y}"
    assert all(issued in page for page in pages)
    assert "Finished after the report was issued" not in "".join(pages)
    assert no_spaces(f"4.1: {LONG}") in running_text(pages)


def test_it_prints_any_script_a_person_can_type(board_client, report):
    report.analysis = "Views: 😀 👍🏽 שלום עולם · مرحبا بالعالم · e\u0301te\u0301 Zoë café"
    report.save()
    text = "".join(pdftotext(board_client.get(reverse("governance:report_pdf", args=[report.pk])).content))
    for word in ("😀", "שלום", "مرحبا", "Zoë"):
        assert word in text or word[::-1] in text
