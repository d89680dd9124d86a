import datetime

import pytest
from playwright.sync_api import expect

from plans.models import Action, Status
from plans.services import post_update
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.browser


def test_it_keeps_an_issued_report_as_it_was_issued(live_server, live_plan, admin_user, sign_in, page, tmp_path):
    action = Action.objects.get(ref="4.1")
    post_update(action=action, author=admin_user, expected_version=0, status=Status.OFF_TRACK,
                commentary="Recruitment paused before issue")
    sign_in("ada")
    page.get_by_role("link", name="Boards").click()
    page.get_by_role("link", name="Improvement Board").click()
    page.get_by_role("link", name="Add a meeting").click()
    page.get_by_label("Date").fill(datetime.date.today().isoformat())
    page.get_by_label("Agenda").fill("1. Progress against the plan")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("1. Progress against the plan")).to_be_visible()

    page.get_by_role("button", name="Generate the report").click()
    page.get_by_label("Analysis").fill("Workforce remains the main risk.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Recruitment paused before issue")).to_be_visible()
    page.get_by_role("link", name="Issue the report").click()
    expect(page.get_by_role("heading", name="Check before you issue the report")).to_be_visible()
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_text("Report issued")).to_be_visible()
    report_url = page.url

    post_update(action=Action.objects.get(ref="4.1"), author=admin_user, expected_version=1,
                status=Status.COMPLETE, commentary="Recruitment finished after issue")

    page.goto(report_url)
    expect(page.get_by_text("Recruitment paused before issue")).to_be_visible()
    expect(page.get_by_text("Recruitment finished after issue")).to_have_count(0)
    expect(page.get_by_text("Workforce remains the main risk.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    text = " ".join(pdf_text(pdf.read_bytes()).split())  # the PDF wraps lines where it likes
    assert "Recruitment paused before issue" in text
    assert "after issue" not in text
