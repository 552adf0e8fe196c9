"""A property-based fuzzer against the published OpenAPI schema (schemathesis).

Every operation of /api/v1/ is called in-process (the WSGI app) with requests that
schemathesis derives from the schema, as an anonymous caller, a trainee and a ministry
staff member (token authentication); the run fails on any 500, on an answer whose
status the operation does not document, on a body or content type the schema does not
describe. Bounded and derandomised: the same cases on every run (CI reproduces a
failure), about a minute on a 2-core machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6  # per operation and role: ~30 operations x 3 roles, within ~90 s


def _schema() -> schemathesis.schemas.BaseSchema:
    document = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
fuzz = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _one_connection():
    """Keep the test's connection (and its transaction) across requests, as Django's
    test client does: the handler would close it after each one."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def headers_of(make_user):
    """A role's request headers: one user and token per role for the whole test."""
    made: dict[str, dict[str, str]] = {"anonymous": {}}

    def of(role: str) -> dict[str, str]:
        if role not in made:
            token = Token.objects.create(user=make_user(role))
            made[role] = {"Authorization": f"Token {token.key}"}
        # the test client does not decompress: GZipMiddleware must leave it plain
        return {**made[role], "Accept-Encoding": "identity"}

    return of


@schema.parametrize()
@fuzz
def test_anonymous_gets_documented_answers(case, headers_of):
    case.call_and_validate(headers=headers_of("anonymous"), checks=CHECKS)


@schema.parametrize()
@fuzz
def test_trainee_gets_documented_answers(case, headers_of):
    case.call_and_validate(headers=headers_of("trainee"), checks=CHECKS)


@schema.parametrize()
@fuzz
def test_staff_gets_documented_answers(case, headers_of):
    case.call_and_validate(headers=headers_of("ministry_staff"), checks=CHECKS)
