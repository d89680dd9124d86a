"""Health checks for a load balancer or container platform: /health/live and /health/ready.

Answered before any other middleware (HealthCheckMiddleware, first in MIDDLEWARE), so a probe needs no sign-in,
no host name from ALLOWED_HOSTS and no HTTPS, touches no session and is left out of the request log. The answer
says only which checks passed, never why one failed (that goes to the server's log).
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("improvement.health")
PATHS = {"/health/live", "/health/ready"}


@login_not_required
@require_safe
@never_cache
def live(request):
    """The process answers: restart it if not."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
@never_cache
def ready(request):
    """The database and, if set, the shared cache and object storage answer: send traffic here only if so."""
    checks = {"database": database_ok}
    if settings.REDIS_URL:
        checks["cache"] = cache_ok
    if not isinstance(storages["default"], FileSystemStorage):
        checks["storage"] = storage_ok
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.warning("Health check failed: %s", name, exc_info=True)
            results[name] = "unavailable"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503
    )


def database_ok():
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A broken persistent connection must not outlive the outage: the next check connects afresh.
        connection.close()
        raise


def cache_ok():
    cache.set("health:ready", "1", 10)
    if cache.get("health:ready") != "1":
        raise RuntimeError("the cache did not keep a value")


def storage_ok():
    storage = storages["default"]
    if hasattr(storage, "client") and hasattr(storage.client, "get_container_properties"):  # Azure Blob Storage
        storage.client.get_container_properties()
    elif hasattr(storage, "bucket"):  # S3-compatible
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    else:
        storage.exists("health/ready")


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/health/live":
            return live(request)
        if request.path_info == "/health/ready":
            return ready(request)
        return self.get_response(request)
