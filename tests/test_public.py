"""The public progress page: off by default, nothing private on it, nothing unpublished reachable."""

import re

import pytest
from django.core.cache import cache
from django.urls import get_resolver
from django.utils import timezone
from django.utils.html import escape

from governance.loading import load_inspections
from improvement.demo import create_demo_updates, create_demo_users
from measures.demo import create_demo_figures
from measures.models import Measure
from plans.loading import PLAN_DIR, load_plan
from plans.models import Action, ActionUpdate, Evidence, Objective, Plan, Post
from tests.loaded_rows import built_once

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def build_demo():
    plan = load_plan().plan
    create_demo_users()
    create_demo_updates(plan=plan, today=TODAY)
    create_demo_figures(plan=plan, today=TODAY)
    load_plan(PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json")
    load_inspections()
    return plan


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    return built_once("public_demo", django_db_blocker, build_demo)


@pytest.fixture
def demo(db, demo_rows):
    """build_demo()'s rows, built once a session (or built again on a plan another fixture loaded first)."""
    return build_demo() if Plan.objects.exists() else demo_rows.restore()


def publish(plan):
    Plan.objects.filter(pk=plan.pk).update(public_progress=True)


def public_url_patterns():
    """Every public route, with how many arguments it takes."""
    return [
        (pattern.name, str(pattern.pattern))
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern).startswith("public/")
    ]


def every_object_id():
    """Every slug, key, code and id in the database, for trying in every public route."""
    ids = set(Plan.objects.values_list("slug", flat=True))
    ids |= {
        str(pk)
        for model in (Plan, Objective, Action, Measure, Post, ActionUpdate)
        for pk in model.objects.values_list("pk", flat=True)
    }
    ids |= {action.key for action in Action.all_objects.all()}
    ids |= set(Measure.objects.values_list("code", flat=True))
    return sorted(ids)


def test_no_plan_is_public_until_an_admin_publishes_it(client, demo):
    assert not Plan.objects.filter(public_progress=True).exists()
    assert b"has not published a progress page yet" in client.get("/public/").content
    assert client.get(f"/public/{demo.slug}/").status_code == 404


def test_nothing_unpublished_is_reachable_at_any_public_url_with_any_object_id(client, demo):
    publish(demo)
    routes = public_url_patterns()
    assert {name for name, _ in routes} == {"public_index", "public_progress"}
    reachable = set()
    for name, route in routes:
        for object_id in every_object_id() if "<" in route else [None]:
            url = "/" + re.sub(r"<[^>]+>", str(object_id), route)
            status = client.get(url).status_code
            assert status in (200, 404), url
            if status == 200:
                reachable.add(url)
    assert reachable == {"/public/", f"/public/{demo.slug}/"}


def test_the_page_shows_statuses_and_trends_and_nothing_private(client, demo):
    hidden_action = Action.objects.get(objective__plan=demo, ref="2.3")
    hidden_action.internal = True
    hidden_action.priority = "A confidential restructure"
    hidden_action.save()
    hidden_measure = demo.measures.order_by("code").first()
    Measure.objects.filter(pk=hidden_measure.pk).update(internal=True, name="Internal-only measure")
    publish(demo)
    response = client.get(f"/public/{demo.slug}/")
    page = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert "Action 4.1" not in page  # refs are shown in the table, not the internal title
    for action in Action.objects.filter(objective__plan=demo, internal=False):
        assert escape(action.priority.splitlines()[0]) in page
    assert "A confidential restructure" not in page and "Internal-only measure" not in page
    assert "Overdue" in page or "On track" in page
    assert page.count('<svg class="app-trend"') >= 10 and "the last 12 months" in page
    private = [u.commentary for u in ActionUpdate.objects.exclude(commentary="")]
    private += [u.next_steps for u in ActionUpdate.objects.exclude(next_steps="")]
    private += [u.evidence_of_impact for u in ActionUpdate.objects.exclude(evidence_of_impact="")]
    private += [e.title for e in Evidence.objects.all()]
    private += list(Post.objects.values_list("name", flat=True))
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        private += [user.username, user.get_full_name()]
    # A post the plan's own published words mention ("report to the Corporate Parenting Board") is no leak.
    published = " ".join(Action.objects.filter(objective__plan=demo).values_list("priority", flat=True))
    leaked = [
        text
        for text in set(private)
        if len(text) > 3 and text not in published and re.search(rf"\b{re.escape(escape(text))}\b", page)
    ]
    assert private and not leaked


def test_the_page_is_cached_but_unpublishing_takes_effect_at_once(client, demo, django_assert_max_num_queries):
    publish(demo)
    client.get(f"/public/{demo.slug}/")
    with django_assert_max_num_queries(1):  # only the is-it-still-published check
        assert client.get(f"/public/{demo.slug}/").status_code == 200
    Plan.objects.filter(pk=demo.pk).update(public_progress=False)
    assert client.get(f"/public/{demo.slug}/").status_code == 404


def test_an_action_or_measure_marked_internal_leaves_the_public_page_at_once(client, demo):
    publish(demo)
    url = f"/public/{demo.slug}/"
    action = Action.objects.get(objective__plan=demo, ref="2.3")
    measure = demo.measures.order_by("code").first()
    first = client.get(url)
    assert escape(action.priority.splitlines()[0]) in first.content.decode()
    assert f"<h3 class=\"govuk-heading-m\">{escape(measure.name)}</h3>" in first.content.decode()
    assert "no-cache" in first["Cache-Control"] and "max-age" not in first["Cache-Control"]
    action.internal = True
    action.save()
    measure.internal = True
    measure.save()
    page = client.get(url).content.decode()
    assert escape(action.priority.splitlines()[0]) not in page
    assert f"<h3 class=\"govuk-heading-m\">{escape(measure.name)}</h3>" not in page


def test_a_browser_revalidates_and_gets_the_change_at_once(client, demo):
    publish(demo)
    url = f"/public/{demo.slug}/"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    action = Action.objects.get(objective__plan=demo, ref="2.3")
    action.internal = True
    action.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert escape(action.priority.splitlines()[0]) not in again.content.decode()


def test_an_unpublished_plan_leaves_the_public_index_at_once(client, demo):
    publish(demo)
    listed = client.get("/public/")
    assert f'href="/public/{demo.slug}/"' in listed.content.decode()
    assert "no-cache" in listed["Cache-Control"] and "max-age" not in listed["Cache-Control"]
    Plan.objects.filter(pk=demo.pk).update(public_progress=False)
    assert f'href="/public/{demo.slug}/"' not in client.get("/public/").content.decode()


def test_a_signed_in_visitor_sees_the_same_page_and_it_names_no_one(client, demo, board_member):
    publish(demo)
    anonymous = client.get(f"/public/{demo.slug}/").content
    client.force_login(board_member)
    signed_in = client.get(f"/public/{demo.slug}/")
    assert signed_in.content == anonymous
    assert b"bola" not in signed_in.content and b"Sign out" not in signed_in.content


def test_the_plan_page_says_whether_the_public_page_is_published(admin_client, plan):
    url = f"/plans/{plan.slug}/"
    assert b"Not published" in admin_client.get(url).content
    publish(plan)
    assert f'href="/public/{plan.slug}/"'.encode() in admin_client.get(url).content


def test_the_public_page_is_served_while_the_shared_cache_is_down(client, plan, settings):
    publish(plan)
    # A Redis server that is not there (port 9 is discard: nothing listens on loopback), as when it restarts.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    response = client.get(f"/public/{plan.slug}/")
    assert response.status_code == 200
    assert escape(plan.title) in response.content.decode()
