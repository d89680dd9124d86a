"""The Cared for Children Strategy: a second kind of plan, with no refs, deadlines, owners or numeric targets."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from governance.dashboard import build_dashboard
from plans.loading import PLAN_DIR, load_plan
from plans.models import Action, Plan

SOURCE = settings.BASE_DIR / "fixtures" / "sources" / "knowsley-cared-for-children-strategy-2023-2026.txt"


def source_priorities():
    """Parse the source independently: each 'Priority …' with its bullets under the two questions."""
    text = SOURCE.read_text(encoding="utf-8")
    body = text[text.index("Priority One") : text.rindex("Governance and Next Steps")]
    priorities = []
    for chunk in re.split(r"\nPriority (?:One|Two|Three|Four)\n", "\n" + body)[1:]:
        name = chunk.strip().splitlines()[0].strip()
        deliver = chunk.split("How will we deliver this?")[1].split("How will we know")[0]
        know = chunk.split("How will we know if we have been successful?")[1]
        bullets = lambda part: [line.strip()[2:] for line in part.splitlines() if line.strip().startswith("- ")]  # noqa: E731
        priorities.append((name, bullets(deliver), bullets(know)))
    return priorities


@pytest.fixture
def strategy(db):
    return load_plan(PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json").plan


def test_every_priority_commitment_and_indicator_is_loaded_as_written(strategy):
    expected = source_priorities()
    assert len(expected) == 3
    objectives = list(strategy.objectives.prefetch_related("actions", "success_indicators"))
    assert [(o.name, [a.priority for a in o.actions.all()], [s.text for s in o.success_indicators.all()])
            for o in objectives] == expected
    assert all(o.rationale.startswith("As Corporate Parents") for o in objectives)
    assert strategy.kind == Plan.Kind.STRATEGY and strategy.terms["objectives"] == "priorities"
    actions = Action.objects.for_plan(strategy)
    assert actions.count() == 26
    assert not actions.exclude(ref="").exists() and not actions.filter(deadline__isnull=False).exists()
    assert not strategy.measures.exists()
    assert list(strategy.boards.values_list("slug", flat=True)) == ["knowsley-corporate-parenting-board"]


def test_loading_it_twice_changes_nothing(strategy):
    again = load_plan(PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json")
    assert not again.changed
    assert strategy.versions.count() == 1


def test_its_pages_work_without_refs_deadlines_or_targets(strategy, board_client):
    action = Action.objects.for_plan(strategy).get(objective__number=2, order=3)
    assert action.key == f"item-{action.pk}" and action.label == "2/3"
    for url in [
        reverse("plans:plan_detail", args=[strategy.slug]),
        reverse("governance:dashboard", args=[strategy.slug]),
        reverse("plans:action_list", args=[strategy.slug]),
        strategy.objectives.get(number=2).get_absolute_url(),
        action.get_absolute_url(),
        reverse("measures:measure_list", args=[strategy.slug]),
    ]:
        response = board_client.get(url)
        assert response.status_code == 200, url
    page = board_client.get(strategy.objectives.get(number=2).get_absolute_url()).content.decode()
    assert "How will we know if we have been successful?" in page and "Priority 2" in page
    assert "Utilising PEP" in board_client.get(action.get_absolute_url()).content.decode()
    assert board_client.get(reverse("plans:action_detail", args=[strategy.slug, "item-999999"])).status_code == 404


def test_the_dashboard_copes_with_a_plan_with_no_deadlines(strategy):
    board = build_dashboard(strategy, timezone.localdate())
    assert board.days_to_deadline is None
    assert sum(count for _, count in board.brag_rows) == 26
    assert not board.overdue and not board.measures


def test_home_lists_both_plans(strategy, plan, board_client):
    page = board_client.get("/").content.decode()
    assert "Knowsley Cared for Children Strategy" in page and "Improvement Plan" in page
