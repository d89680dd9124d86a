import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from governance.dashboard import build_dashboard
from measures.as_at import PlanState
from measures.models import Figure
from plans.as_at import Known
from plans.models import Action, ActionUpdate, DeadlineRevision, Plan


def test_it_refuses_to_load_demo_data_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only loaded with DEMO_MODE=1"):
        call_command("setup_demo")


def test_it_loads_a_plausible_story_once(db, settings, django_user_model):
    settings.DEMO_MODE = True
    call_command("setup_demo")
    updates = ActionUpdate.objects.count()
    call_command("setup_demo")
    assert ActionUpdate.objects.count() == updates > 100

    today = timezone.localdate()
    labels = Counter(action.brag(today).label for action in Action.objects.all())
    assert labels["Complete"] > 20 and labels["Overdue"] >= 1
    assert DeadlineRevision.objects.filter(decision=DeadlineRevision.Decision.PENDING).count() == 1
    assert Action.objects.filter(replan_count=1).count() == 1
    board = build_dashboard(Plan.objects.get(slug="knowsley-improvement-plan-2025"), today)
    assert board.slow_objectives and all(summary.slow_reasons for summary in board.slow_objectives)
    assert board.no_impact and board.off_target and len(board.measures) == 36
    # The demo's action–measure links come with the plan, so the board saw them from its publication.
    in_may = PlanState.at(board.plan, datetime.date(2025, 5, 31), Known.THEN).measure_links()
    assert len(in_may) == 10 and sum(len(linked) for linked in in_may.values()) == 12
    assert Figure.objects.count() > 500
    manager = django_user_model.objects.get(username="manager")
    assert Action.objects.owned_by(manager).count() >= 5
    from governance.models import Review

    review = Review.objects.get(kind=Review.Kind.DFE_REVIEW)  # the others are the adviser's quarterly reports
    assert review.actions_arising.count() == 1 and review.self_assessments.get().progress.startswith("As at")
