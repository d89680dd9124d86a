import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_lets_an_admin_import_the_filled_in_template(live_server, live_plan, admin_user, sign_in, page, tmp_path):
    sign_in("ada")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/measures/")
    page.get_by_role("link", name="Import figures").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="template (Excel)").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    book = load_workbook(template)
    sheet = book["Figures"]
    last_month_column = sheet.max_column
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "SICKNESS")
    row[last_month_column - 1].value = 9.1  # lower is better: misses the 8.5 target, better than 10.8
    book.save(template)

    page.get_by_label("Upload a file").set_input_files(str(template))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("1 new, 0 changed, 0 with only the note changed and 0 unchanged figures")).to_be_visible()
    expect(page.locator("tbody tr")).to_contain_text(["SICKNESS"])
    page.get_by_role("button", name="Import these figures").click()
    expect(page.get_by_text("1 new, 0 changed, 0 with only the note changed, 0 unchanged figures")).to_be_visible()

    page.goto(f"{live_server.url}/plans/{live_plan.slug}/measures/SICKNESS/")
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).strftime("%B %Y")
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name=last_month))
    expect(row).to_contain_text("9.1 days")
    expect(row).to_contain_text("Amber")
    expect(
        page.get_by_text("Amber: 9.1 days is short of the 8.5 days target but better than the 10.8 days baseline.")
    ).to_be_visible()
    expect(page.locator(".app-chart .main-svg").first).to_be_visible()


def test_it_shows_every_problem_and_imports_nothing(live_server, live_plan, admin_user, sign_in, page, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Measure,Month,Value\nSICKNESS,2025-03,lots\nNOPE,2025-03,1\n")
    sign_in("ada")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/figures/import/")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("bad!C2")
    expect(summary).to_contain_text("“lots” is text where a number belongs")
    expect(summary).to_contain_text("bad!A3")
    expect(page.get_by_role("button", name="Import these figures")).to_have_count(0)
