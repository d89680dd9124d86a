"""Sign-in, headers, CSRF, errors and the audit trail, checked the way an attacker or an auditor would."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.models import Action

LOGIN = "/accounts/login/"


def test_every_signed_in_page_has_the_security_headers_and_is_not_cached(board_client, plan):
    response = board_client.get(reverse("governance:dashboard", args=[plan.slug]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_no_inline_script(board_client, plan):
    import re

    html = board_client.get(reverse("governance:dashboard", args=[plan.slug])).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " onclick=" not in html and " style=" not in html


def test_sign_in_gives_the_same_answer_whether_or_not_the_user_exists(board_member):
    known = Client().post(LOGIN, {"username": board_member.username, "password": "wrong-password-1"})
    unknown = Client().post(LOGIN, {"username": "nobody-here", "password": "wrong-password-1"})
    assert known.status_code == unknown.status_code == 200
    message = "Please enter a correct username and password"
    assert message in known.content.decode() and message in unknown.content.decode()


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(board_member):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": board_member.username, "password": "wrong-password-1"})
    locked = client.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"})
    assert locked.status_code == 429 and "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else, from elsewhere, is not locked out by it.
    other = Client(REMOTE_ADDR="10.0.0.9").post(LOGIN, {"username": board_member.username,
                                                        "password": "correct-horse-battery"})
    assert other.status_code == 302


def test_signing_in_rotates_the_session_key(board_member):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"})
    assert client.session.session_key != before and "_auth_user_id" in client.session


@pytest.mark.parametrize("key, seconds", [("last_seen", 31 * 60), ("signed_in_at", 11 * 60 * 60)])
def test_an_idle_or_too_long_session_is_signed_out(board_client, plan, key, seconds):
    board_client.get("/")
    session = board_client.session
    session[key] = int(time.time()) - seconds
    session.save()
    response = board_client.get(reverse("plans:plan_detail", args=[plan.slug]))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "_auth_user_id" not in board_client.session


def test_a_post_without_the_csrf_token_is_refused(manager, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    url = reverse("plans:action_update", args=[plan.slug, "4.1"])
    form = client.get(url)
    data = {"version": 0, "status": "on_track", "commentary": "Progress"}
    assert client.post(url, data).status_code == 403
    token = form.context["csrf_token"]
    assert client.post(url, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302


def test_a_server_error_shows_no_traceback(board_member, plan, monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr("governance.views.build_dashboard", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    response = client.get(reverse("governance:dashboard", args=[plan.slug]))
    body = response.content.decode()
    assert response.status_code == 500 and "Traceback" not in body and "ZeroDivisionError" not in body
    assert "Sorry, there is a problem" in body


def test_the_change_history_cannot_be_reverted_or_edited_in_the_admin(admin_client, plan):
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    record = action.history.earliest()
    url = f"/admin/plans/action/{action.pk}/history/{record.history_id}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"priority": "Rewritten"}).status_code == 403
    assert Action.objects.get(pk=action.pk).priority != "Rewritten"
    assert admin_client.get("/admin/plans/historicalaction/").status_code == 404


@pytest.mark.django_db
def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, board_client, plan):
    assert Client().get(reverse("accessibility")).status_code == 200
    assert 'href="/accessibility/"' in board_client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()


QUERY_VALUE = st.one_of(st.text(max_size=30), st.integers(-10**6, 10**12).map(str), st.dates().map(str))
LIST_PARAMS = ["brag", "rag", "objective", "owner", "overdue", "update_due", "as_at", "deadline_after",
               "deadline_before", "search", "sort", "page", "_export", "actions-sort", "from", "to", "per_page"]


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(LIST_PARAMS), QUERY_VALUE, max_size=4),
       page=st.sampled_from(["plans:action_list", "measures:measure_list", "governance:dashboard",
                             "governance:changes", "plans:version_compare"]))
def test_list_pages_never_fail_whatever_the_query_string(board_client, plan, params, page):
    response = board_client.get(reverse(page, args=[plan.slug]), params)
    assert response.status_code in (200, 302, 400, 404), (page, params, response.status_code)


# Lockout counts failures per username and client address. Behind the README's reverse proxy every
# request comes from the proxy's address, so the client address must be the one the proxy appended.
PROXY = "127.0.0.1"


def wrong_passwords(username, times=5, **meta):
    for n in range(times):
        extra = {key: value(n) if callable(value) else value for key, value in meta.items()}
        Client(**extra).post(LOGIN, {"username": username, "password": "wrong-password-1"})


def test_without_a_proxy_a_forged_forwarded_for_header_is_ignored(board_member, settings):
    from axes.models import AccessAttempt

    settings.BEHIND_PROXY = False
    wrong_passwords(board_member.username, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=lambda n: f"203.0.113.{n}")
    attempt = AccessAttempt.objects.get(username=board_member.username)
    assert (attempt.ip_address, attempt.failures_since_start) == ("198.51.100.7", 5)
    attacker = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    locked = attacker.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"})
    assert locked.status_code == 429 and "_auth_user_id" not in attacker.session
    real_user = Client(REMOTE_ADDR="192.0.2.10")
    assert (
        real_user.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"}).status_code
        == 302
    )
    assert real_user.session["_auth_user_id"] == str(board_member.pk)


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_the_proxy_attempts_count_against_the_address_the_proxy_saw(board_member, settings, proxies):
    from axes.models import AccessAttempt

    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = proxies
    hops = ", 10.1.1.1" if proxies == 2 else ""  # a second proxy appends the first one's address
    # The attacker forges a different X-Forwarded-For each time; the proxy appends the address it saw.
    wrong_passwords(board_member.username, REMOTE_ADDR=PROXY,
                    HTTP_X_FORWARDED_FOR=lambda n: f"192.0.2.{n}, 198.51.100.7{hops}")
    attempt = AccessAttempt.objects.get(username=board_member.username)
    assert (attempt.ip_address, attempt.failures_since_start) == ("198.51.100.7", 5)
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.200, 198.51.100.7{hops}")
    locked = attacker.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"})
    assert locked.status_code == 429 and "_auth_user_id" not in attacker.session
    # The real user, at another address, comes through the same proxy and signs in.
    real_user = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.10{hops}")
    assert (
        real_user.post(LOGIN, {"username": board_member.username, "password": "correct-horse-battery"}).status_code
        == 302
    )
    assert real_user.session["_auth_user_id"] == str(board_member.pk)


@pytest.mark.parametrize("behind_proxy, logged", [(False, "198.51.100.7"), (True, "203.0.113.10")])
def test_the_api_use_log_records_the_client_address_not_the_proxys(board_member, plan, settings, behind_proxy, logged):
    from improvement.models import ApiToken

    settings.BEHIND_PROXY = behind_proxy
    token, key = ApiToken.issue(user=board_member, name="Power BI", issued_by=None)
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.10")
    assert client.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert list(token.uses.values_list("address", flat=True)) == [logged]


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_a_request_with_no_address_is_counted_as_none_not_an_empty_string(rf, settings, behind_proxy):
    from improvement.security import client_ip

    settings.BEHIND_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="")
    assert client_ip(request) is None
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == "127.0.0.1"
