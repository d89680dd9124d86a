"""Single sign-on with Microsoft Entra ID through OpenID Connect (authorisation code flow).

Off unless ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are set. A signed ID token from
the council's own tenant signs in the user linked to its tenant id (`tid`) and object id (`oid`);
the email address is never used to find a user. With ENTRA_CREATE_USERS a first sign-in creates a
user with no role (reads like a board member) for an admin to give a role to; without it, an admin
links each person first. A disabled user's Entra ID account stays out, with a message, and no new
user is ever made beside it.
"""

import logging
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from improvement.models import EntraIdentity

logger = logging.getLogger(__name__)


def sso_enabled():
    return bool(settings.ENTRA_TENANT_ID and settings.ENTRA_CLIENT_ID)


def expected_issuer(tenant_id):
    return f"{settings.ENTRA_AUTHORITY}/{tenant_id}/v2.0"


class EntraIDBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not sso_enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as error:
            # A forged, replayed, expired or undeliverable token: back to the sign-in page with a message.
            logger.warning("Entra ID sign-in refused: %s", error)
            return None

    def get_user(self, user_id):
        # The session of a user an admin disables ends at their next request, as with a password sign-in.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token carries tid and oid; Microsoft's userinfo endpoint does not.
        return payload

    def verify_claims(self, claims):
        tenant_id = str(claims.get("tid", "")).lower()
        checks = {
            "tenant": tenant_id == settings.ENTRA_TENANT_ID.lower(),
            "audience": claims.get("aud") == settings.ENTRA_CLIENT_ID,
            "issuer": claims.get("iss") == expected_issuer(tenant_id),
            "object id": bool(claims.get("oid")),
            "expiry": isinstance(claims.get("exp"), int | float) and claims["exp"] > time.time(),
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            logger.warning("Entra ID sign-in refused: the ID token's %s did not check out", ", ".join(failed))
        return not failed

    def filter_users_by_claims(self, claims):
        # Disabled users too: they are refused in update_user, not mistaken for a first sign-in.
        return get_user_model().objects.filter(
            entra_identity__tenant_id=str(claims["tid"]).lower(),
            entra_identity__object_id=str(claims["oid"]).lower(),
        )

    def describe_user_by_claims(self, claims):
        return f"Entra object id {claims.get('oid')}"

    def create_user(self, claims):
        if not settings.ENTRA_CREATE_USERS:
            return None
        User = get_user_model()
        base = (claims.get("preferred_username") or claims["oid"]).split("@")[0][:140] or claims["oid"]
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        user = User(username=username)
        user.set_unusable_password()
        self.copy_names(user, claims)
        try:
            with transaction.atomic():  # the user and its link, or neither
                user.save()
                EntraIdentity.objects.create(user=user, tenant_id=claims["tid"], object_id=claims["oid"])
        except IntegrityError as error:  # the same account's first sign-in, twice at once
            raise SuspiciousOperation("This Entra ID account was linked by another sign-in") from error
        logger.info("Entra ID sign-in created user %s with no role", username)
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if not user.is_active:
            self.request.entra_refusal = "disabled"
            raise SuspiciousOperation(f"The user linked to {self.describe_user_by_claims(claims)} is disabled")
        self.copy_names(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
        EntraIdentity.objects.filter(user=user).update(last_sign_in=timezone.now())
        return user

    @staticmethod
    def copy_names(user, claims):
        user.first_name = (claims.get("given_name") or user.first_name)[:150]
        user.last_name = (claims.get("family_name") or user.last_name)[:150]
        user.email = (claims.get("email") or user.email)[:254]

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            raise SuspiciousOperation("No user is linked to this Entra ID account")
        return user


class SignInWithEntraID(OIDCAuthenticationRequestView):
    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        return super().get(request)


class EntraIDCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        return super().get(request)

    def login_failure(self):
        if getattr(self.request, "entra_refusal", None) == "disabled":
            return HttpResponseRedirect(reverse("login") + "?sso=disabled")
        return super().login_failure()
