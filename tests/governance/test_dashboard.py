import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance.dashboard import build_dashboard, burn_up
from measures.as_at import PlanState
from measures.models import Figure
from plans.as_at import Known
from plans.loading import load_plan
from plans.models import Action, Brag, Status
from plans.services import post_update


def at(day, hour=12):
    """Travel to `day` (time-machine): whatever is saved inside is recorded then, as it would have been."""
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False)


@pytest.fixture
def plan(db):
    """The Knowsley plan, loaded when it was published (April 2025), so both questions see it from then."""
    with at(datetime.date(2025, 4, 1), 9):
        return load_plan().plan


def post(action, user, status, when):
    """An update posted on `when`."""
    with at(when):
        post_update(action=action, author=user, expected_version=action.version, status=status, commentary="x")
    action.refresh_from_db()


@pytest.fixture
def story(plan, manager):
    """4.1 off track in May 2025, complete in August; 4.2 never updated."""
    action = Action.objects.get(ref="4.1")
    post(action, manager, Status.OFF_TRACK, datetime.date(2025, 5, 20))
    post(action, manager, Status.COMPLETE, datetime.date(2025, 8, 20))
    return action


def test_it_rebuilds_each_action_as_it_stood_on_a_past_date(plan, story):
    in_june = {state.ref: state for state in PlanState.at(plan, datetime.date(2025, 6, 30)).actions}
    assert in_june["4.1"].action.status == Status.OFF_TRACK
    assert in_june["4.1"].brag.brag == Brag.RED
    in_september = {state.ref: state for state in PlanState.at(plan, datetime.date(2025, 9, 30)).actions}
    assert in_september["4.1"].brag.brag == Brag.BLUE
    assert len(in_september) == 53


def test_it_counts_actions_by_brag_and_flags_overdue_on_the_date(plan, story):
    board = build_dashboard(plan, datetime.date(2025, 7, 15))
    assert sum(board.brag_counts.values()) == 53
    assert "4.1" in [action.ref for action in board.overdue]  # June 2025 deadline, off track in July
    assert "4.2" in [action.ref for action in board.overdue]  # April 2025, never updated
    assert board.days_to_deadline == (datetime.date(2026, 7, 31) - datetime.date(2025, 7, 15)).days


def test_it_flags_an_objective_slow_to_progress_with_its_reason(plan, story):
    board = build_dashboard(plan, datetime.date(2025, 10, 1))
    slow = {summary.objective.number: summary.slow_reasons for summary in board.slow_objectives}
    assert 2 in slow  # Leadership: 8 actions, all due by June 2025, none updated
    assert any("overdue or off track" in reason for reason in slow[2])


def test_it_counts_slippage(plan, manager, admin_user):
    from plans.services import decide_revision

    action = Action.objects.get(ref="4.1")
    post_update(
        action=action,
        author=manager,
        expected_version=0,
        status=Status.AT_RISK,
        commentary="late",
        revised_deadline=datetime.date(2025, 9, 1),
        revision_reason="r",
    )
    decide_revision(revision=action.deadline_revisions.get(), admin=admin_user, approve=True)
    board = build_dashboard(plan, timezone.localdate())
    assert [a.ref for a in board.replanned] == ["4.1"]
    assert board.months_slipped == 3


def test_it_draws_the_burn_up_from_the_history(plan, story):
    months, due, complete = burn_up(PlanState.at(plan, datetime.date(2025, 9, 30)))
    assert months[0] == datetime.date(2025, 4, 1)
    assert complete[months.index(datetime.date(2025, 7, 1))] == 0
    assert complete[months.index(datetime.date(2025, 8, 1))] == 1
    assert due == sorted(due) and due[-1] > due[0]


def test_it_shows_the_dashboard_as_at_a_date_given_in_the_url(board_client, plan, story):
    url = reverse("governance:dashboard", args=[plan.slug])
    html = board_client.get(url, {"as_at": "2025-06-30"}).content.decode()
    assert "Dashboard as at 30 June 2025" in html
    assert "brag=red&amp;as_at=2025-06-30" in html
    assert "Objectives slow to progress" in html


def test_it_says_when_the_as_at_date_is_not_a_date(board_client, plan):
    response = board_client.get(reverse("governance:dashboard", args=[plan.slug]), {"as_at": "last tuesday"})
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()


def test_it_filters_the_action_list_by_brag_as_at_a_date(board_client, plan, story):
    url = reverse("plans:action_list", args=[plan.slug])
    then = board_client.get(url, {"brag": "red", "as_at": "2025-06-30"})
    now = board_client.get(url, {"brag": "blue"})
    assert "4.1" in [row.record.ref for row in then.context["table"].rows]
    assert [row.record.ref for row in now.context["table"].rows] == ["4.1"]


def test_it_runs_a_fixed_number_of_queries_whatever_the_plan_size(
    board_client, plan, story, django_assert_num_queries
):
    url = reverse("governance:dashboard", args=[plan.slug])
    # session, user, plan, objectives, actions, owners, measures, their placements, figures, RAG overrides,
    # action-measure links, burn-up completions, user's roles, the plan's Notices (none loaded here)
    with django_assert_num_queries(14):
        board_client.get(url)
    objective = plan.objectives.get(number=6)
    measures = list(plan.measures.all())
    for number in range(11, 61):
        action = Action.objects.create(
            objective=objective, ref=f"6.{number}", priority="More", deadline=datetime.date(2025, 5, 1)
        )
        action.measures.set(measures[:3])
    for measure in measures:
        for month in range(1, 10):
            Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=50 + month)
    with django_assert_num_queries(14):
        board_client.get(url)
    # As at a past date, what we know now: the plan's first load, action and measure history, and the count of
    # figures entered later, instead of today's rows: 3 more.
    with django_assert_num_queries(17):
        board_client.get(url, {"as_at": "2025-06-30"})


def test_it_counts_measures_by_rag_and_lists_red_and_worse_ones(plan):
    sickness = plan.measures.get(code="SICKNESS")  # lower is better: target 8.5, baseline 10.8
    Figure.objects.create(measure=sickness, month=datetime.date(2025, 8, 1), value=11)
    Figure.objects.create(measure=sickness, month=datetime.date(2025, 9, 1), value=12.5)
    board = build_dashboard(plan, timezone.localdate())
    assert sickness.pk in [state.pk for state in board.off_target]
    assert sickness.pk in [state.pk for state in board.worse]
    assert sum(board.rag_counts.values()) == 36
    workforce = next(summary for summary in board.objectives if summary.objective.number == 4)
    assert workforce.rag_counts["red"] == 1


def test_it_flags_a_complete_action_whose_measures_have_not_improved(plan, manager):
    sickness = plan.measures.get(code="SICKNESS")
    action = Action.objects.get(ref="4.5")
    action.measures.set([sickness])
    Figure.objects.create(measure=sickness, month=datetime.date(2025, 3, 1), value=10)
    post_update(action=action, author=manager, expected_version=0, status=Status.COMPLETE, commentary="done")
    Figure.objects.create(measure=sickness, month=timezone.localdate().replace(day=1), value=11)
    board = build_dashboard(plan, timezone.localdate())
    assert [(a.ref, [state.pk for state in linked]) for a, linked in board.no_impact] == [("4.5", [sickness.pk])]
    Figure.objects.filter(measure=sickness).update(value=9)
    Figure.objects.filter(measure=sickness, month=timezone.localdate().replace(day=1)).update(value=8)
    assert build_dashboard(plan, timezone.localdate()).no_impact == []


def test_it_lists_what_changed_between_two_dates(board_client, plan, story, admin_user):
    sickness = plan.measures.get(code="SICKNESS")
    figure = Figure.objects.create(measure=sickness, month=datetime.date(2025, 7, 1), value=10)
    figure.value = 9
    figure.save()
    response = board_client.get(
        reverse("governance:changes", args=[plan.slug]),
        {"since": "2025-07-31", "as_at": timezone.localdate().isoformat()},
    )
    changes = response.context["changes"]
    assert [update.action.ref for update in changes.updates] == ["4.1"]  # the August update
    moves = [(now.ref, then.brag.label, now.brag.label) for then, now in changes.status_moves]
    assert ("4.1", "Overdue", "Complete") in moves
    assert [(record.measure.code, old, new) for record, old, new in changes.figures_corrected] == [
        ("SICKNESS", "10 days", "9 days")
    ]
    assert "SICKNESS" in response.content.decode()


def test_it_filters_the_measure_list_by_rag_as_at_a_date(board_client, plan):
    sickness = plan.measures.get(code="SICKNESS")
    with at(datetime.date(2025, 7, 5)):
        figure = Figure.objects.create(measure=sickness, month=datetime.date(2025, 6, 1), value=12)
    figure.value = 8
    figure.save()  # corrected later: green as we know it now, red as recorded in July
    url = reverse("measures:measure_list", args=[plan.slug])
    then = board_client.get(url, {"rag": "red", "as_at": "2025-07-31", "known": "then"})
    known_now = board_client.get(url, {"rag": "red", "as_at": "2025-07-31"})
    now = board_client.get(url, {"rag": "red"})
    assert [row.record.code for row in then.context["table"].rows] == ["SICKNESS"]
    assert [row.record.code for row in known_now.context["table"].rows] == []
    assert [row.record.code for row in now.context["table"].rows] == []


def test_a_rag_override_counts_from_the_day_it_was_made(plan, admin_user):
    from measures.models import RagOverride

    sickness = plan.measures.get(code="SICKNESS")  # lower is better: target 8.5, baseline 10.8
    month = datetime.date(2025, 8, 1)
    with at(datetime.date(2025, 9, 10), 9):
        Figure.objects.create(measure=sickness, month=month, value=12)
    with at(datetime.date(2025, 10, 15)):
        RagOverride.objects.create(
            measure=sickness, month=month, rag="amber", reason="Known data lag", set_by=admin_user
        )

    def rag_on(day, known=Known.THEN):
        return next(m for m in build_dashboard(plan, day, known).measures if m.code == "SICKNESS").rag.rag

    # What the board saw: the override counts from the day it was made.
    assert rag_on(datetime.date(2025, 10, 14)) == "red"
    assert rag_on(datetime.date(2025, 10, 15)) == "amber"
    assert rag_on(timezone.localdate()) == "amber"
    # What we know now: the override is a judgement on August's figure, so it stands wherever that figure does.
    assert rag_on(datetime.date(2025, 9, 30), Known.NOW) == "amber"
