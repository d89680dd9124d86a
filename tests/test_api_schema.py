"""Schemathesis generates requests from the OpenAPI description and checks every answer against it:
no 500s, only documented status codes, and bodies that match the documented schemas."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from improvement.models import ApiToken
from measures.demo import create_demo_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(plan, board_member):
    create_demo_figures(plan=plan, today=plan.published.replace(year=plan.published.year + 1))
    return ApiToken.issue(user=board_member, name="schemathesis", issued_by=None)[1]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection after each request,
    as at the end of a real one; Django's own test client stops that the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_the_api_keeps_to_its_description_whatever_it_is_asked(key, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

        call()
