import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Action, Status
from plans.services import post_update

pytestmark = pytest.mark.browser


@pytest.fixture
def history(live_plan, admin_user):
    """4.1 was off track in the summer of 2025; it is complete now. The plan, loaded today, has its actions from
    its publication (April 2025) under what we know now, the dashboard's default."""
    action = Action.objects.get(ref="4.1")
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 7, 10)), tick=False):
        post_update(action=action, author=admin_user, expected_version=0, status=Status.OFF_TRACK, commentary="late")
    post_update(action=action, author=admin_user, expected_version=1, status=Status.COMPLETE, commentary="done")


def test_it_takes_a_board_member_from_a_red_count_to_its_list_and_back_in_time(
    live_server, live_plan, history, board_member, sign_in, page
):
    sign_in("bola")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    red = page.locator(".app-count", has=page.locator(".app-rag--red")).first
    red_count = int(red.locator(".app-count__number").inner_text())
    assert red_count > 0
    red.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    expect(page.locator("tbody tr")).to_have_count(red_count)
    # By its row header: a cell may name 4.1 ("taken from 4.1's row"), and Playwright trims "4.1 " to "4.1".
    expect(page.get_by_role("rowheader", name="4.1", exact=True)).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Excel")).click()
    assert download_info.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Show the plan as it stood on").fill("2025-07-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard as at 31 July 2025")
    expect(page).to_have_url(re.compile(r"as_at=2025-07-31"))
    page.locator(".app-count", has=page.locator(".app-rag--red")).first.click()
    expect(page.get_by_role("rowheader", name="4.1", exact=True)).to_have_count(1)
    expect(page.get_by_text("as they stood on 31 July 2025")).to_be_visible()
