"""Every `next` the app follows stays on this site (the action-arising status form: tests/governance/test_boards.py)."""

import pytest

from tests.test_sso import provider, sso  # noqa: F401 - fixtures for the single sign-on start

OFF_SITE = ["//evil.example", "https://evil.example/", "/\\evil.example", "///evil.example"]


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_it_never_signs_in_to_another_site(client, admin_user, next_url):
    data = {"username": "ada", "password": "correct-horse-battery", "next": next_url}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302 and response.url == "/"


def test_it_signs_in_to_the_page_asked_for(client, admin_user):
    data = {"username": "ada", "password": "correct-horse-battery", "next": "/boards/"}
    response = client.post("/accounts/login/", data)
    assert response.url == "/boards/"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_it_never_signs_out_to_another_site(admin_client, next_url):
    response = admin_client.post(f"/accounts/logout/?next={next_url}")
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_single_sign_on_never_returns_to_another_site(db, client, sso, next_url):  # noqa: F811 - the fixture
    assert client.get("/accounts/sso/", {"next": next_url}).status_code == 302
    assert client.session.get("oidc_login_next") is None


def test_single_sign_on_returns_to_the_page_asked_for(db, client, sso):  # noqa: F811 - the fixture
    client.get("/accounts/sso/", {"next": "/boards/"})
    assert client.session.get("oidc_login_next") == "/boards/"
