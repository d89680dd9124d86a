"""One JSON line per request: request id (also in the response), user id, method, path, status, duration."""

import io
import json
import logging

import pytest
from django.urls import reverse

from improvement.requestlog import JsonLinesFormatter


@pytest.fixture
def request_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("improvement.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def test_it_logs_each_request_as_one_json_line_with_the_user_id_only(manager_client, manager, plan, request_log):
    url = reverse("plans:action_list", args=[plan.slug])
    response = manager_client.get(url + "?q=Sam+Manager+safeguarding")
    [line] = request_log()
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user_id"] == manager.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", url, 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["logger"] == "improvement.requests" and line["time"].endswith("+00:00")
    text = json.dumps(line)
    assert "sam" not in text.lower() and "safeguarding" not in text  # no username, name or query text


def test_it_logs_anonymous_requests_and_errors_with_no_user(client, db, request_log):
    client.get("/no-such-page/")
    client.get(reverse("login"))
    assert [(line["path"], line["status"], line["user_id"]) for line in request_log()] == [
        ("/no-such-page/", 404, None),
        (reverse("login"), 200, None),
    ]


def test_it_keeps_the_proxy_request_id_when_it_is_a_plain_token(client, db, request_log):
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="fd-7c1e2a").headers["X-Request-ID"] == "fd-7c1e2a"
    injected = client.get(reverse("login"), HTTP_X_REQUEST_ID='x"\n{"user_id": 1}')
    assert injected["X-Request-ID"] != 'x"\n{"user_id": 1}' and len(injected["X-Request-ID"]) == 32
    assert [line["request_id"] for line in request_log()] == ["fd-7c1e2a", injected["X-Request-ID"]]


def test_it_leaves_health_checks_out_of_the_log(client, db, request_log):
    client.get("/health/live")
    client.get("/health/ready")
    assert request_log() == []


def test_it_writes_every_log_record_as_json_with_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed %s", ("once",), True)
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonLinesFormatter().format(record))
    assert entry["message"] == "failed once" and entry["level"] == "ERROR" and "ValueError: boom" in entry["exception"]
