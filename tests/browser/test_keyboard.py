"""Keyboard only: update an action and import figures with Tab, Space and Enter, the focus always visible."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from measures.models import Figure
from plans.models import Action, Post, PostHolder

pytestmark = pytest.mark.browser

FOCUSED = r"""() => {
  const e = document.activeElement
  const ring = (el, pseudo) => {
    const s = getComputedStyle(el, pseudo)
    return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'
  }
  const choice = e.type === 'radio' || e.type === 'checkbox'
  return {
    text: (e.labels && e.labels[0] ? e.labels[0].textContent : (e.textContent || e.value || ''))
      .replace(/\s+/g, ' ').trim(),
    visible: choice ? ring(e.labels[0], '::before') : ring(e),
  }
}"""


def tab_to(page, wanted, limit=150):
    """Press Tab until the focused element's text or label starts with `wanted`; its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["text"].startswith(wanted):
            assert focused["visible"], f"{wanted!r} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


def follow(page, key="Enter"):
    """Press a key that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_manager_updates_an_action_with_the_keyboard_only(live_server, live_plan, django_user_model, sign_in, page):
    from plans.roles import Role, give_role

    user = django_user_model.objects.create_user("sam", password="correct-horse-battery")
    give_role(user, Role.SERVICE_MANAGER)
    PostHolder.objects.create(post=Post.objects.get(name="Head of Workforce"), user=user)
    sign_in("sam")
    tab_to(page, "My actions")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    tab_to(page, "Update action 4.1")
    follow(page)
    tab_to(page, "Not started")  # a radio group is one Tab stop: arrows move within it
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(FOCUSED) == {"text": "At risk", "visible": True}
    expect(page.get_by_label("At risk")).to_be_checked()
    tab_to(page, "Save update")
    follow(page)

    # The error summary takes focus and links to the field; following the link focuses the field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    tab_to(page, "Say why the action is at risk")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Progress commentary")).to_be_focused()
    expect(page.get_by_label("At risk")).to_be_checked()  # what was chosen is kept
    page.keyboard.type("Two social workers left; recruitment is two weeks behind.")
    tab_to(page, "Save update")
    follow(page)
    expect(page.get_by_text("Your update to action 4.1 has been saved.")).to_be_visible()
    assert Action.objects.get(ref="4.1").status == "at_risk"
    # RAG as words as well as colour.
    expect(page.locator(".app-rag").first).not_to_have_text("")


def test_an_admin_imports_figures_with_the_keyboard_only(live_server, live_plan, admin_user, sign_in, page, tmp_path):
    figures = tmp_path / "figures.csv"
    figures.write_text("Measure,Month,Value\nSICKNESS,2025-03,9.9\n")
    sign_in("ada")
    page.goto(f"{live_server.url}/plans/{live_plan.slug}/figures/import/")
    tab_to(page, "Upload a file")
    # Choosing the file happens in the system's dialog, outside the page: hand it to the focused input.
    page.locator(":focus").set_input_files(str(figures))
    tab_to(page, "Check the file")
    follow(page)
    expect(page.get_by_text("1 new, 0 changed, 0 with only the note changed and 0 unchanged figures")).to_be_visible()
    tab_to(page, "Import these figures")
    follow(page)
    expect(page.get_by_text("1 new, 0 changed, 0 with only the note changed, 0 unchanged figures")).to_be_visible()
    figure = Figure.objects.get(measure__code="SICKNESS", month=datetime.date(2025, 3, 1))
    assert figure.value == Decimal("9.9") and figure.entered_by == admin_user
