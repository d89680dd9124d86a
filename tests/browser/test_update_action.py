import re

import pytest
from playwright.sync_api import expect

from plans.models import Post, PostHolder

pytestmark = pytest.mark.browser


@pytest.fixture
def workforce_manager(live_plan, django_user_model):
    from plans.roles import Role, give_role

    user = django_user_model.objects.create_user("sam", password="correct-horse-battery", first_name="Sam")
    give_role(user, Role.SERVICE_MANAGER)
    PostHolder.objects.create(post=Post.objects.get(name="Head of Workforce"), user=user)
    return user


def test_it_lets_a_manager_post_an_update_that_a_board_member_then_sees(
    live_server, live_plan, workforce_manager, board_member, sign_in, page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "workforce-plan.pdf"
    evidence.write_bytes(b"%PDF-1.4 workforce plan")

    sign_in("sam")
    page.get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.locator("tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Update action 4.1").click()

    page.get_by_label("At risk").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the action is at risk")
    expect(page.get_by_label("At risk")).to_be_checked()

    page.get_by_label("Progress commentary").fill("Two social workers left; the plan is two weeks behind.")
    page.get_by_label("Evidence link title").fill("Draft workforce plan")
    page.get_by_label("Evidence link", exact=True).fill("https://intranet.example/workforce")
    page.get_by_label("Evidence files").set_input_files(str(evidence))
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Your update to action 4.1 has been saved.")).to_be_visible()

    page.goto(f"{live_server.url}/plans/{live_plan.slug}/actions/5.12/update/")
    expect(page.get_by_text("403")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in("bola")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/actions/4.1/")
    # June 2025 has passed, so the action shows Overdue whatever its owner said; the update says At risk.
    expect(page.locator(".app-rag").first).to_have_text("Overdue")
    expect(page.locator(".app-update .app-rag")).to_have_text("At risk")
    expect(page.get_by_text("Two social workers left")).to_be_visible()
    expect(page.get_by_role("link", name="workforce-plan.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="Update this action")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Objective 4")).click()
    row = page.locator("tbody tr", has=page.get_by_role("link", name="4.1", exact=True))
    expect(row).to_contain_text("Overdue")
