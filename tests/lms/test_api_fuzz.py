"""A property-based fuzzer against the published OpenAPI schema (schemathesis).

Every operation of /api/v1/ is called in-process (the WSGI app) with requests that
schemathesis derives from the schema, as an anonymous caller, a trainee and a ministry
staff member of the head office (token authentication). The registry holds one issued
certificate, and half of the generated serials are replaced by its serial, so the
fuzzer reaches real answers, not only refusals. The run fails on any 500, on a status
the operation does not document, on a body or content type the schema does not
describe. Bounded and derandomised: the same cases on every run (CI reproduces a
failure); EXAMPLES keeps it under a minute of requests on a loaded 2-core machine.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_contract import api_schema
from tests.api_contract import one_connection as one_connection
from tests.factories import make_national_id

pytestmark = pytest.mark.usefixtures("one_connection")
schema = api_schema()


@schemathesis.check
def body_has_a_documented_type(ctx: Any, response: Any, case: Any) -> bool | None:
    """A body the schema gives no type to (`responses={200: None}`) is not described:
    schemathesis' own checks let it pass."""
    operation = schema.raw_schema["paths"].get(case.path, {}).get(case.method.lower())
    answer = (operation or {}).get("responses", {}).get(str(response.status_code))
    if not response.content or answer is None:
        return None  # no body, or a status status_code_conformance judges
    if not answer.get("content", {}).get("application/json", {}).get("schema"):
        raise AssertionError(f"{response.status_code}: a body without a type")
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    body_has_a_documented_type,
]
EXAMPLES = 3  # fuzzing cases per operation and role, beside the coverage phase
KNOWN: dict[str, Any] = {}  # path parameters of objects that exist, per test
fuzz = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """As generated, or with the names of existing objects put in."""
    known = {k: KNOWN[k] for k in path_parameters or () if k in KNOWN}
    if not known:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


@pytest.fixture
def headers_of(make_user):
    """A role's request headers: one user and token per role for the whole test."""
    from lms.accounts.services import staff_directorate_assign

    made: dict[str, dict[str, str]] = {"anonymous": {}}

    def of(role: str) -> dict[str, str]:
        if role not in made:
            user = make_user(role, is_staff=role == "ministry_staff")
            if role == "ministry_staff":
                staff_directorate_assign(user_id=user.pk, directorate_code="HQ")
            token = Token.objects.create(user=user)
            made[role] = {"Authorization": f"Token {token.key}"}
        # the test client does not decompress: GZipMiddleware must leave it plain
        return {**made[role], "Accept-Encoding": "identity"}

    return of


@pytest.fixture(autouse=True)
def _an_issued_certificate(make_user):
    import uuid

    from lms.accounts.services import staff_directorate_assign
    from registry.services import certificate_approve, certificate_create_pending

    staff = []
    for _ in range(2):
        user = make_user("ministry_staff", is_staff=True)
        staff_directorate_assign(user_id=user.pk, directorate_code="HQ")
        staff.append(user)
    pending = certificate_create_pending(
        user_id=None,
        national_id=make_national_id(),
        full_name_ar="منى أحمد السيد",
        full_name_en="Mona Ahmed El-Sayed",
        occupation_code="7531",
        level_code="skilled",
        source="platform_test",
        evidence={},
        created_by_id=staff[0].pk,
        idempotency_key=f"fuzz:{uuid.uuid4().hex}",
    )
    cert = certificate_approve(certificate_id=pending.id, approver_id=staff[1].pk)
    KNOWN["serial"] = cert.serial_display
    yield
    KNOWN.clear()


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
