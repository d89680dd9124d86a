"""The two questions "as at D" answers (measures.as_at): what we know now about D, and what the board saw on D."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance.dashboard import build_dashboard
from measures.as_at import PlanState
from measures.models import Figure, Rag, RagOverride
from plans.as_at import Known
from plans.loading import PLAN_DIR, load_plan
from plans.models import Action, Status
from plans.services import post_update

STRATEGY = PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json"


def at(day, hour=12):
    """Travel to `day` (time-machine): whatever is saved inside is recorded then."""
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False)


@pytest.fixture
def plan(db):
    """The Knowsley plan, loaded when it was published (April 2025)."""
    with at(datetime.date(2025, 4, 1), 9):
        return load_plan().plan


@pytest.fixture
def sickness(plan):
    return plan.measures.get(code="SICKNESS")  # lower is better: baseline 10.8 days, target 8.5, tolerance 2


def state_of(plan, code, day, known):
    return next(state for state in PlanState.at(plan, day, known).measures if state.code == code)


def test_a_backfill_imported_today_shows_under_what_we_know_now_and_not_what_the_board_saw(
    board_client, plan, sickness
):
    for month in range(1, 7):  # January to June 2026, all entered today
        Figure.objects.create(measure=sickness, month=datetime.date(2026, month, 1), value=Decimal("9"))
    june = datetime.date(2026, 6, 30)

    known_now = state_of(plan, "SICKNESS", june, Known.NOW)
    assert (known_now.latest_month, known_now.rag.rag) == (datetime.date(2026, 6, 1), Rag.AMBER)
    board_saw = state_of(plan, "SICKNESS", june, Known.THEN)
    assert (board_saw.latest_month, board_saw.rag.rag) == (None, Rag.GREY)
    assert PlanState.at(plan, june, Known.NOW).figures_later == 6

    url = reverse("governance:dashboard", args=[plan.slug])
    page = board_client.get(url, {"as_at": "2026-06-30"}).content.decode()
    assert "6 figures for months up to June 2026 were entered or corrected later" in page
    assert "show what the board saw" in page
    then = board_client.get(url, {"as_at": "2026-06-30", "known": "then"}).content.decode()
    assert "As recorded on 30 June 2026: what the board saw." in then


def test_a_target_changed_mid_year_does_not_move_a_past_rag(plan, sickness):
    with at(datetime.date(2025, 9, 20)):
        Figure.objects.create(measure=sickness, month=datetime.date(2025, 8, 1), value=Decimal("9"))
    with at(datetime.date(2025, 11, 10)):
        sickness.target_value = Decimal("9.5")  # the board agreed a realistic target in November
        sickness.save()

    for known in Known:
        september = state_of(plan, "SICKNESS", datetime.date(2025, 9, 30), known)
        assert (september.measure.target_value, september.rag.rag) == (Decimal("8.50"), Rag.AMBER)
        december = state_of(plan, "SICKNESS", datetime.date(2025, 12, 31), known)
        assert (december.measure.target_value, december.rag.rag) == (Decimal("9.50"), Rag.GREEN)
    assert state_of(plan, "SICKNESS", timezone.localdate(), Known.NOW).rag.rag == Rag.GREEN


def test_a_correction_shows_under_what_we_know_now_and_the_board_saw_the_first_value(plan, sickness):
    with at(datetime.date(2025, 8, 20)):
        figure = Figure.objects.create(measure=sickness, month=datetime.date(2025, 7, 1), value=Decimal("12"))
    with at(datetime.date(2025, 10, 5)):
        figure.value = Decimal("8")
        figure._change_reason = "Recount"
        figure.save()
    september = datetime.date(2025, 9, 30)
    assert state_of(plan, "SICKNESS", september, Known.NOW).rag.rag == Rag.GREEN
    assert state_of(plan, "SICKNESS", september, Known.THEN).rag.rag == Rag.RED
    assert PlanState.at(plan, september, Known.THEN).figures_later == 1
    assert PlanState.at(plan, datetime.date(2025, 10, 31), Known.THEN).figures_later == 0


def test_an_override_is_known_now_for_its_month_and_the_board_saw_it_from_the_day_it_was_set(
    plan, sickness, admin_user
):
    with at(datetime.date(2025, 9, 20)):
        Figure.objects.create(measure=sickness, month=datetime.date(2025, 8, 1), value=Decimal("12"))
    with at(datetime.date(2025, 11, 3)):
        RagOverride.objects.create(
            measure=sickness, month=datetime.date(2025, 8, 1), rag=Rag.AMBER, reason="Data lag", set_by=admin_user
        )
    october = datetime.date(2025, 10, 31)
    known_now = state_of(plan, "SICKNESS", october, Known.NOW)
    assert (known_now.rag.rag, known_now.overridden) == (Rag.AMBER, True)
    assert known_now.rag.reason.startswith("Amber (overridden by an admin; computed: Red")
    board_saw = state_of(plan, "SICKNESS", october, Known.THEN)
    assert (board_saw.rag.rag, board_saw.overridden) == (Rag.RED, False)


def test_a_plan_loaded_today_has_its_actions_since_publication_under_what_we_know_now(db):
    strategy = load_plan(STRATEGY).plan
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    assert strategy.published is None  # a strategy that gives no date: its first load counts on any day
    known_now = PlanState.at(strategy, a_year_ago, Known.NOW)
    assert len(known_now.objectives) == 3 and len(known_now.actions) == Action.objects.for_plan(strategy).count() > 20
    assert all(state.owners for state in known_now.actions if state.action.owners.exists())
    assert PlanState.at(strategy, a_year_ago, Known.THEN).actions == []


def test_a_plan_loaded_today_counts_from_its_publication_not_before(db):
    plan = load_plan().plan  # recorded today; published April 2025
    assert plan.published == datetime.date(2025, 4, 1)
    in_april = PlanState.at(plan, datetime.date(2025, 4, 30), Known.NOW)
    assert len(in_april.actions) == 53 and len(in_april.measures) == 36
    assert in_april.measures[0].measure.target_value == plan.measures.order_by("code")[0].target_value
    assert PlanState.at(plan, datetime.date(2025, 3, 31), Known.NOW).actions == []
    assert PlanState.at(plan, datetime.date(2025, 4, 30), Known.THEN).actions == []


def test_a_later_change_to_an_action_counts_from_when_it_was_recorded(plan, manager):
    action = Action.objects.get(ref="4.1")
    with at(datetime.date(2025, 5, 20)):
        post_update(action=action, author=manager, expected_version=0, status=Status.ON_TRACK, commentary="x")
    june = {state.ref: state for state in PlanState.at(plan, datetime.date(2025, 6, 15), Known.NOW).actions}
    april = {state.ref: state for state in PlanState.at(plan, datetime.date(2025, 4, 30), Known.NOW).actions}
    assert (june["4.1"].action.status, april["4.1"].action.status) == (Status.ON_TRACK, Status.NOT_STARTED)


def test_a_filter_on_a_changed_field_picks_each_actions_latest_record_first(plan, manager):
    """An action complete in May and reopened in June is not complete on 30 June, whatever its older records say."""
    action = Action.objects.get(ref="4.1")
    with at(datetime.date(2025, 5, 20)):
        post_update(action=action, author=manager, expected_version=0, status=Status.COMPLETE, commentary="done")
    with at(datetime.date(2025, 6, 20)):
        post_update(action=action, author=manager, expected_version=1, status=Status.AT_RISK, commentary="reopened")
    board_client_rows = [
        state.ref for state in PlanState.at(plan, datetime.date(2025, 6, 30)).actions
        if state.action.status == Status.COMPLETE
    ]
    assert "4.1" not in board_client_rows


def test_what_changed_makes_the_same_number_of_queries_however_many_figures_were_corrected(
    board_client, plan, sickness, django_assert_num_queries
):
    url = reverse("governance:changes", args=[plan.slug])
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    def correct(count):
        for figure in Figure.objects.filter(measure__plan=plan)[:count]:
            figure.value += 1
            figure.save()

    for measure in plan.measures.all()[:5]:
        for month in range(1, 4):
            Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=Decimal("5"))
    correct(2)
    # session, user, plan; what the board saw at the start: objectives, actions, owners, measures, their
    # history, placements, figures, overrides, figures entered later; today: objectives, actions, owners,
    # measures, placements, figures, overrides; the plan's measures, the figure records of the period, every
    # record of the corrected figures (one query, not one per correction), updates, revisions, user's roles
    with django_assert_num_queries(25):
        board_client.get(url, {"since": since})
    correct(12)
    with django_assert_num_queries(25):
        response = board_client.get(url, {"since": since})
    assert len(response.context["changes"].figures_corrected) == 14


def test_a_draft_board_report_reads_the_plan_twice_not_three_times(admin_client, plan, django_assert_num_queries):
    from governance.models import Board, BoardReport, Meeting

    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=timezone.localdate() - datetime.timedelta(1)
    )
    report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=meeting.date, title="Report")
    url = reverse("governance:report_detail", args=[report.pk])
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(url).status_code == 200
    actions_read = [
        q for q in captured
        if 'FROM "plans_historicalaction"' in q["sql"] and "history_type" in q["sql"]
        and not q["sql"].startswith('SELECT "plans_historicalaction_measures"')  # the links of the as-at date
    ]
    assert len(actions_read) == 2  # the report's as-at date and the start of its changes


def test_the_demo_dashboard_as_at_30_june_2026_shows_its_measures(plan):
    from improvement.demo import create_demo_updates, create_demo_users
    from measures.demo import create_demo_figures

    today = timezone.localdate()
    create_demo_users()
    create_demo_updates(plan=plan, today=today)
    create_demo_figures(plan=plan, today=today)
    june = datetime.date(2026, 6, 30)
    known_now = build_dashboard(plan, june, Known.NOW)
    board_saw = build_dashboard(plan, june, Known.THEN)
    assert known_now.rag_counts[Rag.GREY] < 5 and board_saw.rag_counts[Rag.GREY] < 5
    # June's figures were entered around 20 July, some later and some corrected: they differ, and say so.
    assert known_now.state.figures_later >= 36
    assert [s.latest_month for s in known_now.measures].count(datetime.date(2026, 6, 1)) > 30
    assert datetime.date(2026, 6, 1) not in [s.latest_month for s in board_saw.measures]
