"""Logs as JSON lines, one per request: request id, user id, method, path, status and duration.

Only the user's id, never a name or anything typed: the path without its query string, which could carry
search words. The request id is taken from the proxy's X-Request-ID when it is a plain token (so one id follows
a request through the load balancer and the app), else made here, and returned in the response's X-Request-ID.
Health checks never get here (improvement.health.HealthCheckMiddleware answers them first).
"""

import datetime
import json
import logging
import re
import time
import uuid

from django.utils.functional import empty

logger = logging.getLogger("improvement.requests")
TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if TOKEN.fullmatch(offered) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        logger.info(
            "request",
            extra={
                "fields": {
                    "request_id": request.request_id,
                    "user_id": user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
            },
        )
        return response


def user_id(request):
    """The signed-in user's id, without loading a session or user that the request itself did not need."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not user.is_authenticated:
        return None
    return user.pk
