"""Property-based tests of the API against its own OpenAPI document (schemathesis, in process).

For every operation, schemathesis generates requests from the document (valid and invalid
parameters, odd strings, large numbers) and sends them to the WSGI application in this
process, against the test database with the `world` of tests/api/conftest.py. Each answer is
checked: no server error, a status code the document lists, a content type and body that
match the documented schema. A modest number of examples per operation keeps the run short.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.main import api

# The document the API serves at /api/v1/openapi.json, read without a request: the schema is
# needed when the tests are collected, before there is a database.
# Well-formed but unusable input has its own answers: a cursor this API did not hand out is a
# 400, an id or slug of nothing (or of something private) a 404.
# A NUL character anywhere in a request is refused site-wide before any view runs, with the
# site's 400 page (kenniscloud/common/bad_input.py), not with the API's JSON: left out here.
config = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-x00": False},
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}},
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_keeps_test_connection():
    """Django closes a database connection after each request whose autocommit differs from
    the settings; inside the test's transaction that would close the test's own connection
    (on PostgreSQL). Django's test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, world, settings, wsgi_keeps_test_connection):
    # Hundreds of requests from one address: the rate limit has its own test.
    settings.API_RATE_LIMIT = ""
    case.call_and_validate()


def test_the_document_tested_is_the_one_served(client, db):
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
