"""One error body for every API refusal, and the schema that documents it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from lms.kernel.api.errors import exception_handler
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited


def _answer(exc):
    response = exception_handler(exc, {"request": APIRequestFactory().get("/")})
    assert response is not None
    assert set(response.data) == {"code", "message", "fields"}
    return response


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Invalid("Fix the date.", fields={"date": ["Too early."]}), 400, "invalid"),
        (Forbidden("Not yours."), 403, "forbidden"),
        (NotFound("No such certificate."), 404, "not_found"),
        (
            Conflict("Already enrolled.", code="already_enrolled"),
            409,
            "already_enrolled",
        ),
        (RateLimited("Slow down.", retry_after=30), 429, "rate_limited"),
    ],
)
def test_coded_errors_map_to_one_body_and_status(exc, status, code):
    response = _answer(exc)
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["message"] == exc.message
    assert response.data["fields"] == exc.fields


def test_rate_limited_says_when_to_retry():
    assert _answer(RateLimited("Slow down.", retry_after=30))["Retry-After"] == "30"
    throttled = _answer(exceptions.Throttled(wait=12))
    assert throttled.status_code == 429 and throttled["Retry-After"] == "12"
    assert throttled.data["code"] == "rate_limited"


def test_django_validation_error_keeps_fields_apart():
    exc = DjangoValidationError(
        {"birth_date": ["Too young."], "__all__": ["Check the form."]}
    )
    response = _answer(exc)
    assert response.status_code == 400
    assert response.data["fields"] == {"birth_date": ["Too young."]}
    assert response.data["message"] == "Check the form."
    plain = _answer(DjangoValidationError("Wrong serial.", code="bad_serial"))
    assert plain.data == {
        "code": "bad_serial",
        "message": "Wrong serial.",
        "fields": {},
    }


def test_serializer_errors_become_fields():
    exc = exceptions.ValidationError(
        {"seq": ["Ensure this value is less than 100."], "non_field_errors": ["No."]}
    )
    response = _answer(exc)
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["fields"] == {"seq": ["Ensure this value is less than 100."]}
    assert response.data["message"] == "No."


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.AuthenticationFailed("Invalid token."), 401, "not_authenticated"),
        (exceptions.PermissionDenied(), 403, "forbidden"),
        (exceptions.NotFound(), 404, "not_found"),
        (Http404(), 404, "not_found"),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (exceptions.UnsupportedMediaType("text/csv"), 415, "unsupported_media_type"),
    ],
)
def test_framework_refusals_share_the_body(exc, status, code):
    response = _answer(exc)
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["message"]


def test_other_exceptions_are_not_swallowed():
    assert exception_handler(ValueError("bug"), {}) is None


def test_coded_error_from_django_validation_error():
    exc = Conflict.from_validation_error(DjangoValidationError({"seats": ["Full."]}))
    assert exc.status == 409 and exc.fields == {"seats": ["Full."]}


@pytest.mark.django_db
def test_every_operation_documents_the_error_body(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 10
    for path, method, op in operations:
        refusals = [c for c in op["responses"] if c[0] in "45"]
        for code in refusals:
            if path == "/api/v1/verify/{serial}/" and code in ("400", "404"):
                continue  # invalid and unknown serials answer the Verification body
            content = op["responses"][code].get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            assert ref == "#/components/schemas/Error", (method, path, code)
        if "{" in path:
            assert "404" in op["responses"], f"{method} {path} can answer 404"
        if method in ("post", "put", "patch"):
            assert "400" in op["responses"], f"{method} {path} can answer 400"
    overview = schema["paths"]["/api/v1/reports/overview/"]["get"]["responses"]
    assert {"400", "403"} <= set(overview)


@pytest.mark.django_db
def test_real_endpoint_answers_the_body(client):
    response = client.get("/api/v1/reports/overview/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/assessments/attempts/-1/"),
        ("post", "/api/v1/courses/not-a-number/enrollment/"),
        ("delete", "/api/v1/no/such/endpoint/"),
    ],
)
def test_an_address_that_names_no_endpoint_answers_the_error_body(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {} and body["message"]
