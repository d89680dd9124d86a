import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import WCAG_22_AA

pytestmark = pytest.mark.browser


def no_violations(page):
    result = Axe().run(page, options=WCAG_22_AA)
    assert not [violation["id"] for violation in result.response["violations"]], page.url


def test_it_lets_an_admin_undo_an_import_then_correct_and_delete_figures(
    live_server, live_plan, admin_user, sign_in, page
):
    from measures.importing import commit_import, save_upload
    from measures.models import Figure

    for name, text in [("first.csv", "Code,Month,Value\nSICKNESS,2025-08,10\nSICKNESS,2025-09,11\n"),
                       ("second.csv", "Code,Month,Value\nSICKNESS,2025-09,12\nSICKNESS,2025-10,13\n")]:
        upload = save_upload(plan=live_plan, content=text.encode(), file_name=name, user=admin_user)
        commit_import(upload=upload, user=admin_user, today=datetime.date(2025, 11, 15), confirmed=True)

    sign_in("ada")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/measures/")
    page.get_by_role("link", name="Imports, and undoing one").click()
    no_violations(page)
    page.get_by_role("link", name="Undo the import of first.csv").click()
    expect(page.get_by_role("heading", name="1 figure changed since the import")).to_be_visible()
    no_violations(page)
    page.get_by_label("Reason for undoing this import").fill("Wrong file")
    page.get_by_role("button", name="Undo the import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was undone")
    expect(page.get_by_label("Reason for undoing this import")).to_have_value("Wrong file")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/figures/imports/")
    page.get_by_role("link", name="Undo the import of second.csv").click()
    page.get_by_label("Reason for undoing this import").fill("Draft sent by mistake")
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_text("Undid the import of second.csv: 2 figures put back.")).to_be_visible()
    expect(page.locator("tbody tr", has_text="second.csv")).to_contain_text("Draft sent by mistake")

    page.goto(f"{live_server.url}/plans/{live_plan.slug}/measures/SICKNESS/")
    page.get_by_role("link", name="Correct the September 2025 figure").click()
    no_violations(page)
    page.get_by_label("Figure (days)").fill("11.5")
    page.get_by_label("Reason for the correction").fill("HR recount")
    page.get_by_role("button", name="Save the correction").click()
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name="September 2025"))
    expect(row).to_contain_text("11.5 days")
    expect(row).to_contain_text("HR recount")

    page.get_by_role("link", name="Delete the August 2025 figure").click()
    no_violations(page)
    page.get_by_role("button", name="Delete the figure").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for deleting this figure")
    page.get_by_label("Reason for deleting this figure").fill("Month double counted")
    page.get_by_role("button", name="Delete the figure").click()
    expect(page.get_by_text("Month double counted")).to_be_visible()
    no_violations(page)
    assert list(Figure.objects.filter(measure__code="SICKNESS").values_list("month", flat=True)) == [
        datetime.date(2025, 9, 1)]
