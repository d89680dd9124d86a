"""The read API: the same numbers as the dashboard, tokens, the log, pagination and fixed query counts."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.dashboard import BRAG_ORDER, RAG_ORDER, build_dashboard
from improvement.demo import create_demo_updates, create_demo_users
from improvement.models import ApiToken, ApiTokenUse
from measures.demo import create_demo_figures
from measures.models import Figure
from plans.loading import PLAN_DIR, load_plan
from plans.models import Action, ActionOwner, Plan, Post
from tests.loaded_rows import built_once

ENDPOINTS = ["plans", "objectives", "actions", "measures", "figures"]
TODAY = timezone.localdate()


def build_demo():
    """Knowsley with the demo story, figures entered the month after the month they are for, and a second plan."""
    plan = load_plan().plan
    create_demo_users()
    create_demo_updates(plan=plan, today=TODAY)
    create_demo_figures(plan=plan, today=TODAY)  # each recorded around the 20th of the month after, some later
    load_plan(PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json")
    return plan


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    return built_once("api_demo", django_db_blocker, build_demo)


@pytest.fixture
def demo(db, demo_rows):
    """build_demo()'s rows, built once a session (or built again on a plan another fixture loaded first)."""
    return build_demo() if Plan.objects.exists() else demo_rows.restore()


@pytest.fixture
def key(board_member):
    return ApiToken.issue(user=board_member, name="Power BI", issued_by=None)[1]


def get(client, key, endpoint, **params):
    return client.get(f"/api/v1/{endpoint}/", params, HTTP_AUTHORIZATION=f"Bearer {key}")


def every_row(client, key, endpoint, **params):
    body = get(client, key, endpoint, page_size=1000, **params).json()
    assert body["next"] is None
    return body["results"]


@pytest.mark.parametrize("days_ago", [0, 75, 300])
def test_every_endpoint_gives_the_dashboards_numbers_for_the_same_date(client, demo, key, days_ago):
    as_at = TODAY - datetime.timedelta(days=days_ago)
    board = build_dashboard(demo, as_at)
    params = {"plan": demo.slug, "as_at": as_at.isoformat()}

    actions = every_row(client, key, "actions", **params)
    assert Counter(row["brag"] for row in actions) == {brag.value: n for brag, n in board.brag_counts.items()}
    assert {row["key"]: (row["status"], row["brag_label"]) for row in actions} == {
        state.action.key: (state.action.status, state.brag.label) for state in board.actions
    }
    assert {row["key"] for row in actions if row["overdue"]} == {state.action.key for state in board.overdue}
    assert {row["key"] for row in actions if row["update_due"]} == {state.action.key for state in board.update_due}

    measures = every_row(client, key, "measures", **params)
    assert {row["code"]: (row["rag"], row["rag_reason"], row["latest_value"]) for row in measures} == {
        m.code: (m.rag.rag.value, m.rag.reason, float(m.latest_value) if m.latest_value else None)
        for m in board.measures
    }

    objectives = every_row(client, key, "objectives", **params)
    assert [(row["number"], row["slow_reasons"]) for row in objectives] == [
        (summary.objective.number, summary.slow_reasons) for summary in board.objectives
    ]
    assert [(row["actions_by_brag"], row["measures_by_rag"]) for row in objectives] == [
        ({b.value: s.brag_counts[b] for b in BRAG_ORDER}, {r.value: s.rag_counts[r] for r in RAG_ORDER})
        for s in board.objectives
    ]

    figures = every_row(client, key, "figures", **params)
    expected = sorted(
        (m.code, f.month.isoformat(), float(f.value)) for m in board.measures for f in m.figures
    )
    assert sorted((row["measure"], row["month"], row["value"]) for row in figures) == expected
    if days_ago == 75:
        assert 0 < len(figures) < Figure.objects.filter(measure__plan=demo).count()  # the as-at date matters


def test_an_action_shows_its_owners_deadlines_and_latest_update_as_at_the_date(client, demo, key):
    action = demo.objectives.get(number=4).actions.get(ref="4.1")
    latest = action.updates.order_by("-created_at").first()
    row = next(r for r in every_row(client, key, "actions", plan=demo.slug, objective=4) if r["ref"] == "4.1")
    assert row["owners"] == [post.name for post in action.owners.order_by("ownerships__order")]
    assert row["deadline"] == action.deadline.isoformat() and row["due_date"] == action.due_date.isoformat()
    assert row["latest_update"]["commentary"] == latest.commentary
    before = latest.created_at.date() - datetime.timedelta(days=1)
    earlier = next(
        r for r in every_row(client, key, "actions", plan=demo.slug, as_at=before.isoformat()) if r["ref"] == "4.1"
    )
    assert earlier["latest_update"] is None or earlier["latest_update"]["date"] <= before.isoformat()


def test_owner_posts_are_those_of_the_as_at_date(client, demo, key):
    action = Action.objects.get(objective__plan=demo, ref="4.1")
    before = [post.name for post in action.owners.order_by("ownerships__order")]  # recorded with the plan
    for ownership in action.ownerships.all():
        ownership.delete()
    ActionOwner.objects.create(action=action, post=Post.objects.get(name="Head of Education"), order=1)

    def owners(**params):
        rows = every_row(client, key, "actions", plan=demo.slug, objective=4, **params)
        return next(row["owners"] for row in rows if row["ref"] == "4.1")

    assert owners() == ["Head of Education"]
    assert owners(as_at=(TODAY - datetime.timedelta(days=1)).isoformat()) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_token_a_wrong_one_or_a_revoked_one_gets_401(client, plan, board_member, key, endpoint):
    assert client.get(f"/api/v1/{endpoint}/").status_code == 401
    assert get(client, "itk_not-a-real-key", endpoint).status_code == 401
    client.force_login(board_member)  # a browser session is not enough
    assert client.get(f"/api/v1/{endpoint}/").status_code == 401
    assert get(client, key, endpoint).status_code == 200
    ApiToken.objects.get().revoke(by=board_member)
    response = get(client, key, endpoint)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"error": "This API token has been revoked."}


def test_a_token_stops_working_when_its_user_is_deactivated(client, plan, board_member, key):
    board_member.is_active = False
    board_member.save()
    assert get(client, key, "plans").status_code == 401


def test_every_use_is_logged_with_its_answer(client, plan, key):
    get(client, key, "actions", plan=plan.slug)
    get(client, key, "actions", plan="no-such-plan")
    uses = list(ApiTokenUse.objects.order_by("at").values_list("path", "status"))
    assert uses == [(f"/api/v1/actions/?plan={plan.slug}", 200), ("/api/v1/actions/?plan=no-such-plan", 404)]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only_whatever_the_role(client, plan, admin_user, method):
    key = ApiToken.issue(user=admin_user, name="admin's", issued_by=admin_user)[1]
    response = getattr(client, method)("/api/v1/actions/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_pages_walk_through_every_row_once(client, demo, key):
    everything = [row["key"] for row in every_row(client, key, "actions")]
    walked, url = [], "/api/v1/actions/?page_size=7"
    while url:
        body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()
        walked += [row["key"] for row in body["results"]]
        url = body["next"]
    assert walked == everything and len(everything) == body["count"]
    plans = {row["plan"] for row in every_row(client, key, "actions")}
    assert plans == {"knowsley-improvement-plan-2025", "knowsley-cared-for-children-strategy-2023"}


def test_filters_by_plan_objective_and_measure(client, demo, key):
    assert {row["objective"] for row in every_row(client, key, "actions", plan=demo.slug, objective=3)} == {3}
    measures = every_row(client, key, "measures", plan=demo.slug, objective=1)
    assert measures and all(1 in row["objectives"] for row in measures)
    code = measures[0]["code"]
    figures = every_row(client, key, "figures", plan=demo.slug, measure=code)
    assert figures and {row["measure"] for row in figures} == {code}
    assert [row["number"] for row in every_row(client, key, "objectives", plan=demo.slug)] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({"as_at": "2025-13-01"}, 400, "as_at: “2025-13-01” is not a date; use YYYY-MM-DD."),
        ({"as_at": "0001-01-01"}, 400, "as_at: “0001-01-01” is too far back; use a date from 2000-01-01 on."),
        ({"page_size": "0"}, 400, "page_size: “0” is not a whole number of at least 1 and at most 1000."),
        ({"page": "x"}, 400, "page: “x” is not a whole number of at least 1."),
        ({"page": "99"}, 404, "page: there are 1 pages of 100."),
        ({"plan": "nope"}, 404, "plan: there is no plan “nope”."),
        ({"objective": "99"}, 404, "objective: no plan has an objective 99."),
        ({"plan": "knowsley-improvement-plan-2025", "objective": "9"}, 404,
         "objective: plan “knowsley-improvement-plan-2025” has no objective 9."),
    ],
)
def test_a_bad_parameter_gets_a_sentence_naming_it(client, plan, key, params, status, message):
    response = get(client, key, "objectives", **params)
    assert (response.status_code, response.json()) == (status, {"error": message})


def test_a_future_as_at_answers_for_today(client, plan, key):
    body = get(client, key, "plans", as_at="2999-01-01").json()
    assert body["as_at"] == TODAY.isoformat()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("days_ago", [0, 75])
def test_each_request_makes_the_same_number_of_queries_whatever_the_size(client, demo, key, endpoint, days_ago):
    as_at = (TODAY - datetime.timedelta(days=days_ago)).isoformat()

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert get(client, key, endpoint, as_at=as_at, page_size=1000, **params).status_code == 200
        return len(captured)

    before = queries(), queries(plan=demo.slug)
    objective = demo.objectives.get(number=6)
    for number in range(11, 61):
        action = Action.objects.create(objective=objective, ref=f"6.{number}", priority="More", deadline=TODAY)
        action.owners.set(Post.objects.all()[:2])
    for measure in demo.measures.all():
        for month in range(1, 10):
            Figure.objects.get_or_create(measure=measure, month=datetime.date(2024, month, 1), defaults={"value": 5})
    assert (queries(), queries(plan=demo.slug)) == before
    assert before[1] == before[0] + 1  # the plan's own lookup
    assert before[0] == QUERIES[endpoint][bool(days_ago)]


# Queries per list, today and as at a past date (what we know now). Every list: the token, its use logged,
# its last use noted. Then: plans: count, page; objectives: objective numbers, count, page, actions, owners,
# measures, placements, figures, overrides (+ the plans' first loads and the measures' history for a past date);
# actions: objectives, actions, owners, latest updates (+ first loads); measures: measures, placements,
# figures, overrides, objective numbers (+ first loads, measure history); figures: count, page.
QUERIES = {
    "plans": (5, 5), "objectives": (11, 13), "actions": (7, 8), "measures": (8, 10), "figures": (5, 5),
}


def test_the_openapi_description_is_served_without_a_token(client, db):
    description = client.get("/api/v1/openapi.json").json()
    assert description["openapi"].startswith("3.0")
    assert set(description["paths"]) == {f"/{endpoint}/" for endpoint in ENDPOINTS}


def test_an_admin_issues_a_token_in_the_admin_sees_its_key_once_and_can_revoke_it(admin_client, plan, board_member):
    response = admin_client.post(
        "/admin/improvement/apitoken/add/", {"user": board_member.pk, "name": "Power BI board pack"}, follow=True
    )
    shown = re.search(r"itk_[\w-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert token.key_hash == ApiToken.hash(shown) and shown not in str(token.__dict__)
    assert token.history.get().history_user.username == "ada"
    assert shown.encode() not in admin_client.get(f"/admin/improvement/apitoken/{token.pk}/change/").content
    client = Client()
    assert get(client, shown, "plans").status_code == 200
    admin_client.post(
        "/admin/improvement/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_by.username == "ada" and get(client, shown, "plans").status_code == 401
    assert admin_client.post(f"/admin/improvement/apitoken/{token.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/improvement/apitokenuse/{ApiTokenUse.objects.first().pk}/delete/").status_code == 403
    )


def test_an_unexpected_error_is_answered_in_json_and_the_site_keeps_its_page(
    plan, key, board_member, monkeypatch, settings
):
    settings.DEBUG = False
    monkeypatch.setattr("improvement.api.views.Query.find_plan", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    response = get(client, key, "objectives")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("Something went wrong on our side")

    monkeypatch.setattr("governance.views.build_dashboard", lambda *a, **k: 1 / 0)
    client.force_login(board_member)
    page = client.get(f"/plans/{plan.slug}/dashboard/")
    assert page.status_code == 500 and "may not have been saved" in page.content.decode()
