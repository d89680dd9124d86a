import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_lets_a_new_board_member_browse_the_whole_plan(live_server, live_plan, board_member, sign_in, page):
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    sign_in("bola")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.get_by_role("link", name="Plan overview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowsley Children's Services Improvement Plan")
    expect(page.get_by_text("Knowsley Council").first).to_be_visible()

    page.get_by_role("link", name="4. Workforce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce")
    expect(page.get_by_text("Head of Workforce").first).to_be_visible()

    page.get_by_role("link", name="4.2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 4.2")
    expect(page.get_by_text("Explore recruitment of international Social Workers.")).to_be_visible()
    expect(page.get_by_text("April 2025")).to_be_visible()

    page.get_by_role("link", name="Objective 4. Workforce").click()
    page.get_by_role("link", name="SICKNESS", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sickness – average working days lost")
    expect(page.get_by_text("Lower is better")).to_be_visible()
    expect(page.get_by_text("10.8 days")).to_be_visible()
    expect(page.get_by_text("Fall to 8.5 days")).to_be_visible()


def test_it_sorts_and_filters_the_action_list(live_server, live_plan, board_member, sign_in, page):
    sign_in("bola")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/actions/")
    page.get_by_label("Ref or words").fill("homeless")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_role("link", name=re.compile("^By when")).click()
    expect(page.locator("tbody tr th").first).to_have_text("5.7")


def test_it_serves_every_asset_itself(live_server, live_plan, board_member, sign_in, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    sign_in("bola")
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    assert not failed
