"""API authentication: a per-user token in the Authorization header, every use logged."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from improvement.models import ApiToken, ApiTokenUse
from improvement.security import client_ip


class ApiError(Exception):
    """A request the API cannot answer: its status and a sentence saying why."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status, message):
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def token_from(request):
    """The token named in `Authorization: Bearer <key>`, revoked or not; None when there is no such token."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key.strip())).first()


def api_view(view):
    """Read-only, token-only: no session, no CSRF (nothing is ever changed), JSON errors."""

    @csrf_exempt
    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = token_from(request)
        if token is None:
            return error_response(401, "Send an API token: Authorization: Bearer <token>.")
        if not token.is_active or not token.user.is_active:
            response = error_response(401, "This API token has been revoked.")
        elif request.method not in ("GET", "HEAD"):
            response = error_response(405, "The API is read-only: use GET.")
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error.status, error.message)
        ApiTokenUse.objects.create(
            token=token,
            path=request.get_full_path().replace("\x00", "")[:2000],
            status=response.status_code,
            address=client_ip(request) or None,
        )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return response

    return wrapped
