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
def strategy(db, strategy_rows):
    return strategy_rows.restore()


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


def commitments(strategy, priority):
    return list(Action.objects.for_plan(strategy).filter(objective__number=priority).order_by("order"))


def issue_strategy_draft(strategy, admin_user, change):
    from plans.versions import issue_version, save_draft, start_version

    draft = start_version(strategy, title="Refresh", user=admin_user)
    save_draft(draft, edit_count=0, user=admin_user, change=change)
    return issue_version(draft, user=admin_user)


def test_removing_the_first_commitment_in_a_version_withdraws_it_and_leaves_the_second_as_it_was(
    strategy, admin_client, admin_user, manager
):
    from plans.models import PlanVersion
    from plans.services import post_update

    first, second = commitments(strategy, 1)[:2]
    first_words, second_words = first.priority, second.priority
    post_update(action=first, author=manager, expected_version=0, status="on_track", commentary="GP registrations")
    post_update(action=second, author=manager, expected_version=0, status="complete", commentary="Health checks")
    admin_client.post(reverse("plans:version_create", args=[strategy.slug]), {"title": "Refresh"})
    draft = PlanVersion.objects.get(plan=strategy, number=2)
    admin_client.post(reverse("plans:draft_action_remove", args=[strategy.slug, 2, 1, 1]), {"edit_count": 0})
    admin_client.post(reverse("plans:version_issue", args=[strategy.slug, 2]))
    draft.refresh_from_db()
    assert not draft.is_draft

    second.refresh_from_db()
    assert second.withdrawn_at is None and second.priority == second_words
    assert second.status == "complete" and [u.commentary for u in second.updates.all()] == ["Health checks"]
    first = Action.all_objects.get(pk=first.pk)
    assert first.withdrawn_at is not None and first.priority == first_words
    assert first.status == "on_track" and [u.commentary for u in first.updates.all()] == ["GP registrations"]
    assert [a.priority for a in commitments(strategy, 1)] == [
        row["priority"] for row in draft.content["objectives"][0]["actions"]
    ]
    compare = admin_client.get(reverse("plans:version_compare", args=[strategy.slug]) + "?from=1&to=2").content.decode()
    assert "Actions removed (1)" in compare and "renumbered or moved" not in compare and "reworded" not in compare


def test_reordering_commitments_in_a_version_keeps_each_with_its_words_and_updates(strategy, admin_user, manager):
    from plans.services import post_update

    before = {a.pk: a.priority for a in commitments(strategy, 2)}
    last = commitments(strategy, 2)[-1]
    post_update(action=last, author=manager, expected_version=0, status="on_track", commentary="PEPs")

    result = issue_strategy_draft(strategy, admin_user, lambda content: content["objectives"][1]["actions"].reverse())
    assert not result.created and not result.withdrawn
    after = commitments(strategy, 2)
    assert {a.pk: a.priority for a in after} == before
    assert after[0].pk == last.pk and after[0].updates.get().commentary == "PEPs"
    from plans.versions import diff_contents

    first, second = strategy.versions.order_by("number")
    diff = diff_contents(first.content, second.content)
    assert not diff.added and not diff.removed and not diff.reworded
    assert ("2/10", "2/1") in [(change.old, change.new) for change in diff.renumbered]


def test_rewording_a_commitment_keeps_it(strategy, admin_user):
    target = commitments(strategy, 3)[4]

    def change(content):
        content["objectives"][2]["actions"][4]["priority"] = "Reworded commitment"
        del content["objectives"][2]["actions"][0]

    result = issue_strategy_draft(strategy, admin_user, change)
    assert dict(result.withdrawn) == {"actions": 1} and not result.created
    target.refresh_from_db()
    assert target.priority == "Reworded commitment" and target.withdrawn_at is None
