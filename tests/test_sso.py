"""Single sign-on with Microsoft Entra ID, against a real OpenID provider on loopback.

The provider below signs ID tokens with its own RSA key and publishes the public half at its JWKS
endpoint, as Entra ID does; the app fetches both over HTTP and checks the signature, nonce, issuer,
audience, tenant and expiry itself.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from improvement.models import EntraIdentity

TENANT = "8c5f3c2a-1b2d-4e5f-9a6b-7c8d9e0f1a2b"
OTHER_TENANT = "00000000-1111-2222-3333-444444444444"
CLIENT_ID = "3f2b1c4d-aaaa-bbbb-cccc-000000000001"
OBJECT_ID = "5a6b7c8d-0000-4000-8000-123456789abc"


class OpenIDProvider:
    """Token and key endpoints shaped like login.microsoftonline.com/{tenant}/..."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.next_claims = {}
        self.signing_key = self.key
        self.token_requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                self.reply({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                provider.token_requests.append(form)
                id_token = jwt.encode(provider.next_claims, provider.signing_key, "RS256", headers={"kid": "k1"})
                self.reply({"id_token": id_token, "access_token": "opaque", "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.authority = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def provider():
    op = OpenIDProvider()
    yield op
    op.server.shutdown()


@pytest.fixture
def sso(settings, provider):
    a = provider.authority
    settings.ENTRA_TENANT_ID = TENANT
    settings.ENTRA_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.ENTRA_AUTHORITY = a
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{a}/{TENANT}/oauth2/v2.0/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{a}/{TENANT}/oauth2/v2.0/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{a}/{TENANT}/discovery/v2.0/keys"
    settings.ENTRA_CREATE_USERS = False
    return settings


def sign_in(client, provider, **claims):
    """Start at the app, follow it to the provider, come back with a code; return the final response."""
    start = client.get("/accounts/sso/?next=/plans/")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(f"{provider.authority}/{TENANT}/oauth2/v2.0/authorize?")
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    now = int(time.time())
    provider.next_claims = {
        "iss": f"{provider.authority}/{TENANT}/v2.0",
        "aud": CLIENT_ID,
        "tid": TENANT,
        "oid": OBJECT_ID,
        "nonce": query["nonce"][0],
        "iat": now,
        "exp": now + 600,
        "preferred_username": "priya.shah@knowsley.gov.uk",
        "email": "priya.shah@knowsley.gov.uk",
        "given_name": "Priya",
        "family_name": "Shah",
        **claims,
    }
    return client.get(f"/accounts/sso/callback/?code=abc&state={query['state'][0]}")


def signed_in_user(client):
    return client.get("/plans/").wsgi_request.user


@pytest.fixture
def linked_user(db, django_user_model):
    user = django_user_model.objects.create_user(username="priya", email="old@example.org")
    EntraIdentity.objects.create(user=user, tenant_id=TENANT.upper(), object_id=OBJECT_ID)
    return user


def test_a_linked_account_signs_in_by_tenant_and_object_id(client, sso, provider, linked_user):
    response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == "/plans/"
    user = signed_in_user(client)
    assert user == linked_user
    linked_user.refresh_from_db()
    assert (linked_user.first_name, linked_user.email) == ("Priya", "priya.shah@knowsley.gov.uk")
    assert linked_user.entra_identity.last_sign_in is not None
    assert provider.token_requests[-1]["code_verifier"]  # PKCE


def test_an_email_match_alone_does_not_sign_in(client, sso, provider, django_user_model):
    django_user_model.objects.create_user(username="priya", email="priya.shah@knowsley.gov.uk")
    response = sign_in(client, provider)
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not signed_in_user(client).is_authenticated
    page = client.get(response["Location"])
    assert b"Your Microsoft account could not sign you in" in page.content


@pytest.mark.parametrize(
    "claims",
    [
        {"tid": OTHER_TENANT},  # a guest from another organisation's tenant
        {"aud": "someone-elses-app"},
        {"iss": "https://evil.example/v2.0"},
        {"nonce": "replayed"},
        {"exp": int(time.time()) - 60},
        {"oid": None},
    ],
    ids=["other tenant", "audience", "issuer", "nonce", "expired", "no object id"],
)
def test_a_token_that_does_not_check_out_signs_no_one_in(client, sso, provider, linked_user, claims):
    response = sign_in(client, provider, **claims)
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not signed_in_user(client).is_authenticated


def test_a_token_signed_by_another_key_is_refused(client, sso, provider, linked_user):
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        response = sign_in(client, provider)
    finally:
        provider.signing_key = provider.key
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not signed_in_user(client).is_authenticated


def test_a_first_sign_in_can_create_a_user_with_no_role(client, sso, provider, django_user_model):
    sso.ENTRA_CREATE_USERS = True
    django_user_model.objects.create_user(username="priya.shah")  # same name, different person
    sign_in(client, provider)
    user = signed_in_user(client)
    assert user.username == "priya.shah-2" and not user.has_usable_password()
    assert not user.groups.exists()
    assert (user.entra_identity.tenant_id, user.entra_identity.object_id) == (TENANT, OBJECT_ID)
    client.logout()
    sign_in(client, provider)
    assert signed_in_user(client) == user


def test_a_deactivated_user_cannot_sign_in(client, sso, provider, linked_user):
    linked_user.is_active = False
    linked_user.save()
    sign_in(client, provider)
    assert not signed_in_user(client).is_authenticated


def test_without_configuration_there_is_no_single_sign_on(client, db):
    assert client.get("/accounts/sso/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    assert b"Microsoft account" not in client.get("/accounts/login/").content


def test_the_sign_in_page_offers_microsoft_when_configured(client, sso):
    page = client.get("/accounts/login/?next=/plans/")
    assert b'href="/accounts/sso/?next=/plans/"' in page.content


def test_a_disabled_user_stays_out_with_a_message_and_no_new_account(
    client, sso, provider, linked_user, django_user_model
):
    sso.ENTRA_CREATE_USERS = True
    linked_user.is_active = False
    linked_user.save()
    users_before = django_user_model.objects.count()
    for _ in range(3):
        response = sign_in(client, provider)
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?sso=disabled"
        assert not signed_in_user(client).is_authenticated
    assert django_user_model.objects.count() == users_before
    assert EntraIdentity.objects.get().user == linked_user
    linked_user.refresh_from_db()
    assert not linked_user.is_active and linked_user.email == "old@example.org"  # nothing copied from the token
    assert linked_user.entra_identity.last_sign_in is None
    page = client.get(response["Location"]).content.decode()
    assert "Your account here has been disabled" in page


def test_a_disabled_user_stays_out_without_user_creation_too(client, sso, provider, linked_user):
    linked_user.is_active = False
    linked_user.save()
    response = sign_in(client, provider)
    assert response["Location"] == "/accounts/login/?sso=disabled"
    assert not signed_in_user(client).is_authenticated


def test_a_user_disabled_while_signed_in_is_signed_out_at_the_next_request(client, sso, provider, linked_user):
    sign_in(client, provider)
    assert signed_in_user(client) == linked_user
    linked_user.is_active = False
    linked_user.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not response.wsgi_request.user.is_authenticated
