import pytest
from playwright.sync_api import expect

from plans.models import Action

pytestmark = pytest.mark.browser


def test_an_admin_moves_a_deadline_in_a_new_version_and_the_diff_shows_it(live_server, live_plan, admin_user, sign_in,
                                                                          page):
    sign_in("ada")
    page.goto(f"{live_server.url}{live_plan.get_absolute_url()}")
    page.get_by_role("link", name="All versions and changes").click()
    page.get_by_label("Title").fill("October 2025 refresh after the first monitoring visit")
    page.get_by_role("button", name="Start a new version").click()
    expect(
        page.get_by_role("heading", name="Version 2: October 2025 refresh after the first monitoring visit")
    ).to_be_visible()

    page.get_by_role("link", name="Change 4.1", exact=True).click()
    page.get_by_label("By when").fill("2025-12")
    page.get_by_role("button", name="Save in the draft").click()
    expect(page.get_by_text("Action 4.1 saved in the draft.")).to_be_visible()

    expect(page.get_by_role("heading", name="Deadlines moved (1)")).to_be_visible()
    row = page.locator("tr.app-diff-deadline")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("4.1")
    expect(row).to_contain_text("June 2025")
    expect(row).to_contain_text("December 2025")

    page.get_by_role("button", name="Issue version 2").click()
    expect(page.get_by_text("Version 2 issued.")).to_be_visible()
    assert Action.objects.get(ref="4.1").deadline.isoformat() == "2025-12-01"

    page.goto(f"{live_server.url}{Action.objects.get(ref='4.1').get_absolute_url()}")
    expect(page.get_by_role("heading", name="In each version of the plan")).to_be_visible()
    expect(page.locator("#versions ~ table")).to_contain_text("December 2025")
