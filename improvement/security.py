"""Headers and session rules every response gets; the values are in settings so a council can tune them."""

import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

# Only this site's own files: no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def client_ip(request):
    """The address the request came from: sign-in lockouts and the API's use log count by it.

    Without BEHIND_PROXY, the connection's own address; X-Forwarded-For is the client's to write
    and is ignored. With it, the address the proxy appended to X-Forwarded-For: each of our
    PROXY_COUNT proxies appends the address it saw, so the client is that many entries from the
    right, and anything to its left is what the client sent and is ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR") or None  # empty behind a unix socket
    if not settings.BEHIND_PROXY:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.PROXY_COUNT or not hops[-settings.PROXY_COUNT]:
        return remote_addr  # did not come through the proxies
    try:
        return str(ipaddress.ip_address(hops[-settings.PROXY_COUNT]))
    except ValueError:
        return remote_addr


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages about children's services must not stay in a shared computer's cache or history.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    now = int(time.time())
    request.session["signed_in_at"] = request.session["last_seen"] = now


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("signed_in_at", now)
            last_seen = session.get("last_seen", now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            if idle or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after " + ("a period of inactivity." if idle else "a full working day.")
                    + " Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= 60:  # write the session at most once a minute
                session["last_seen"] = now
            session.setdefault("last_seen", now)
        return self.get_response(request)
