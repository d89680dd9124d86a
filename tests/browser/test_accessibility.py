"""axe-core (bundled by axe-playwright-python, injected from disk: no network) on every page type, as every role."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from plans.models import Plan

pytestmark = pytest.mark.browser

WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture
def every_page(live_plan, admin_user, manager):
    from governance.loading import load_inspections
    from governance.models import Board, BoardReport, Meeting, Review
    from governance.self_assessment import start_self_assessment
    from measures.demo import create_demo_figures
    from plans.loading import PLAN_DIR, load_plan
    from plans.models import Action, Status
    from plans.services import post_update
    from plans.versions import start_version

    load_inspections()
    strategy = load_plan(PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json").plan
    today = datetime.date.today()
    create_demo_figures(plan=live_plan, today=today)
    action = Action.objects.get(ref="4.1")
    post_update(action=action, author=manager, expected_version=0, status=Status.AT_RISK, commentary="Slow hiring")
    meeting = Meeting.objects.create(board=Board.objects.get(slug="knowsley-improvement-board"), date=today)
    report = BoardReport.objects.create(meeting=meeting, plan=live_plan, as_at=today, title="Report")
    review = Review.objects.create(plan=live_plan, kind=Review.Kind.DFE_REVIEW, date=today, title="DfE review")
    assessment = start_self_assessment(plan=live_plan, review=review, as_at=today, user=admin_user)
    start_version(live_plan, title="Refresh", user=admin_user)
    Plan.objects.filter(pk=live_plan.pk).update(public_progress=True)
    slug = live_plan.slug
    read = [
        reverse("governance:dashboard", args=[slug]),
        reverse("plans:plan_detail", args=[slug]),
        reverse("plans:objective_detail", args=[slug, 4]),
        reverse("plans:action_list", args=[slug]),
        action.get_absolute_url(),
        reverse("measures:measure_list", args=[slug]),
        reverse("measures:measure_detail", args=[slug, "SICKNESS"]),
        reverse("plans:area_list", args=[slug]),
        reverse("plans:my_actions"),
        reverse("governance:changes", args=[slug]),
        reverse("plans:version_list", args=[slug]),
        reverse("plans:version_detail", args=[slug, 2]),
        reverse("plans:version_compare", args=[slug]),
        reverse("governance:board_list"),
        meeting.get_absolute_url(),
        report.get_absolute_url(),
        reverse("governance:review_list"),
        review.get_absolute_url(),
        assessment.get_absolute_url(),
        reverse("governance:inspection_list"),
        reverse("governance:inspection_detail", args=["knowsley-sif-2014"]),
        reverse("plans:objective_detail", args=[strategy.slug, 2]),
        reverse("rag_help"),
        reverse("accessibility"),
    ]
    owner = [reverse("plans:action_update", args=[slug, "4.1"])]
    admin = [
        reverse("measures:figures_upload", args=[slug]),
        reverse("plans:revision_list", args=[slug]),
        reverse("plans:draft_action_edit", args=[slug, 2, 4, 1]),
        reverse("governance:report_edit", args=[report.pk]),
        reverse("governance:self_assessment_edit", args=[assessment.pk]),
        reverse("governance:review_create"),
        reverse("governance:meeting_create", args=["knowsley-improvement-board"]),
    ]
    return {"bola": read, "sam": read + owner, "ada": read + owner + admin}


def violations(page):
    result = Axe().run(page, options=WCAG_22_AA)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in result.response["violations"]]


def test_no_page_has_a_wcag_22_aa_violation_for_any_role(live_server, every_page, board_member, sign_in, page):
    found = {}
    page.goto(f"{live_server.url}/accounts/login/")
    found["login"] = violations(page)
    for url in ["/public/", f"/public/{Plan.objects.get(public_progress=True).slug}/"]:
        page.goto(f"{live_server.url}{url}")
        found[f"signed out {url}"] = violations(page)
    for username, urls in every_page.items():
        sign_in(username)
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            problems = violations(page)
            if problems:
                found[f"{username} {url}"] = problems
        page.get_by_role("button", name="Sign out").click()
    found = {key: value for key, value in found.items() if value}
    assert not found, "\n".join(f"{key}: {value}" for key, value in found.items())
