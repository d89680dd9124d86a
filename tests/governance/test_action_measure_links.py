"""Action–measure links as at a date: each action's history records carry the links it had then."""

import datetime
import importlib
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from governance.dashboard import build_dashboard
from measures.as_at import PlanState
from measures.models import Figure
from plans.as_at import Known, first_loads, measure_links_at
from plans.loading import load_plan
from plans.models import Action, Status
from plans.months import add_months
from plans.services import post_update

seeding = importlib.import_module("plans.migrations.0010_action_measure_links_history")


def at(day, hour=12):
    """Travel to `day` (time-machine): whatever is saved inside is recorded then."""
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False)


def last_month():
    return add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture
def plan(db):
    """The Knowsley plan, loaded when it was published (April 2025): both questions see its actions from then."""
    with at(datetime.date(2025, 4, 1), 9):
        return load_plan().plan


def links_at(plan, day, known):
    action_ids = list(Action.objects.filter(objective__plan=plan).values_list("pk", flat=True))
    return measure_links_at(action_ids, day, first_loads([plan], day, known))


def test_it_does_not_show_a_link_added_today_as_at_last_month(plan, manager):
    sickness = plan.measures.get(code="SICKNESS")  # lower is better: baseline 10.8 days
    action = Action.objects.get(objective__plan=plan, ref="4.5")
    with at(datetime.date(2025, 5, 20)):
        post_update(action=action, author=manager, expected_version=0, status=Status.COMPLETE, commentary="done")
        Figure.objects.create(measure=sickness, month=datetime.date(2025, 4, 1), value=Decimal("11"))
    action.refresh_from_db()
    action.measures.set([sickness])  # today

    month_ago = last_month()
    for known in Known:
        assert action.pk not in links_at(plan, month_ago, known)
        assert build_dashboard(plan, month_ago, known).no_impact == []
    assert links_at(plan, timezone.localdate(), Known.NOW)[action.pk] == [sickness.pk]
    no_impact = build_dashboard(plan, timezone.localdate()).no_impact
    assert [(state.ref, [measure.pk for measure in linked]) for state, linked in no_impact] == [("4.5", [sickness.pk])]


def test_it_keeps_a_link_removed_today_as_at_last_month(plan):
    sickness = plan.measures.get(code="SICKNESS")
    action = Action.objects.get(objective__plan=plan, ref="4.5")
    with at(datetime.date(2025, 6, 2)):
        action.measures.set([sickness])
    action.measures.clear()  # today

    for known in Known:
        assert links_at(plan, last_month(), known)[action.pk] == [sickness.pk]
        assert action.pk not in links_at(plan, datetime.date(2025, 6, 1), known)  # not yet linked
    assert action.pk not in links_at(plan, timezone.localdate(), Known.NOW)


def test_the_shipped_plans_links_count_from_its_publication_under_what_we_know_now(db):
    """Links made before they had history (the migration seeds them) come with the plan's first load."""
    plan = load_plan().plan  # today; published April 2025
    sickness, agency = plan.measures.get(code="SICKNESS"), plan.measures.get(code="SW-AGENCY")
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    action.skip_history_when_saving = True  # as links were made before the migration: no history
    action.measures.set([sickness, agency])
    del action.skip_history_when_saving
    assert not links_at(plan, timezone.localdate() - datetime.timedelta(days=1), Known.NOW)

    seeding.seed_link_history(apps, None)

    publication = datetime.date(2025, 4, 30)
    assert plan.published <= publication
    assert links_at(plan, publication, Known.NOW) == {action.pk: sorted([sickness.pk, agency.pk])}
    assert links_at(plan, last_month(), Known.NOW) == {action.pk: sorted([sickness.pk, agency.pk])}
    # The plan was loaded today: the board saw none of it last month.
    assert links_at(plan, last_month(), Known.THEN) == {}
    state = PlanState.at(plan, publication, Known.NOW)
    assert [linked.code for linked in state.measure_links()[action.pk]] == sorted(
        ["SICKNESS", "SW-AGENCY"], key=lambda code: plan.measures.get(code=code).pk
    )
