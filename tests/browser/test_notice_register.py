"""A board member walks the Improvement Notice's register from a duty to its evidence; axe finds nothing to fix."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def register(live_plan, admin_user):
    from governance.loading import NOTICE_DIR, load_notice
    from governance.models import Board, BoardMember, Meeting, Notice, Review, Voice

    load_notice(NOTICE_DIR / "dfe-improvement-notice-2025-01.json")
    today = datetime.date.today()
    board = Board.objects.get(slug="knowsley-improvement-board")
    board.meets_every_weeks = 6
    board.save()
    chair = BoardMember.objects.create(board=board, name="Ann Chair", kind=BoardMember.Kind.INDEPENDENT_CHAIR)
    Meeting.objects.create(board=board, date=today - datetime.timedelta(weeks=2)).attendees.set([chair])
    review = Review.objects.create(plan=live_plan, kind=Review.Kind.DFE_REVIEW, date=today - datetime.timedelta(
        days=30), title="Second six-monthly review", findings="Front door decisions are now timely.")
    Voice.objects.create(plan=live_plan, source=Voice.Source.CHILDREN, heard_through="Children in Care Council",
                         date=today - datetime.timedelta(days=10), summary="We want to keep our social worker.")
    return Notice.objects.get(), review


def test_a_board_member_walks_from_a_duty_to_its_evidence(live_server, register, board_member, sign_in, page):
    notice, review = register
    sign_in("bola")
    page.goto(f"{live_server.url}{reverse('governance:notice_list')}")
    page.get_by_role("link", name=notice.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("register of duties")
    assert not violations(page)
    duty = page.locator("#duty-6")
    expect(duty).to_contain_text("at least every six months")
    expect(duty.locator(".govuk-tag")).to_have_text("Met")
    duty.get_by_role("link", name=str(review)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Second six-monthly review")
    expect(page.locator("main")).to_contain_text("Front door decisions are now timely.")
    page.go_back()
    page.locator("#duty-5e").get_by_role("link", name="Children and young people").click()
    expect(page.locator("main")).to_contain_text("We want to keep our social worker.")
    assert not violations(page)


def test_an_admin_records_views_on_an_accessible_form(live_server, register, admin_user, sign_in, page):
    from governance.models import Voice

    sign_in("ada")
    page.goto(f"{live_server.url}{reverse('governance:voice_create', args=[register[0].plan.slug])}")
    assert not violations(page)
    page.get_by_label("Frontline staff").check()
    page.get_by_label("Heard through").fill("Practice week")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert not violations(page)
    expect(page.get_by_label("Heard through")).to_have_value("Practice week")
    assert Voice.objects.count() == 1
