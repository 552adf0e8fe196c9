"""The registry API answers what its OpenAPI schema says, status by status (issue 18:
the list was documented as an array but is paginated, verify's 404 and the verify
answer were free-form, 201/403/409/429 undocumented)."""

from __future__ import annotations

import pytest

from registry.models import ApiScope
from registry.serials import serial_display, serial_generate
from registry.services import api_client_create
from tests.api_contract import api_schema, call, conforms
from tests.api_contract import one_connection as one_connection
from tests.factories import make_national_id

pytestmark = pytest.mark.usefixtures("one_connection")

VERIFY = "/api/v1/verify/{serial}/"
CERTIFICATES = "/api/v1/registry/certificates/"


def _token(*scopes: str) -> str:
    _client, token = api_client_create(name="portal", scopes=list(scopes))
    return token


def _issue_body() -> dict:
    return {
        "national_id": make_national_id(),
        "full_name_ar": "أحمد فتحي",
        "occupation_code": "7127",
        "level_code": "technician",
    }


def test_verify_documents_every_answer_it_gives(make_issued, revoke):
    issued = make_issued()
    revoked = make_issued()
    revoke(revoked)
    unknown = serial_display(serial_generate())  # well-formed, nobody holds it
    for serial, status in [
        (issued.serial_display, 200),
        (revoked.serial_display, 200),
        (unknown, 404),
        ("MHR-2026-0000001-X", 400),
        ("no such serial", 400),
    ]:
        response = call("GET", f"/api/v1/verify/{serial}/")
        assert response.status_code == status, serial
        conforms(response, VERIFY, "get")
    assert call("GET", f"/api/v1/verify/{unknown}/").get_json() == {
        "serial": unknown,
        "status": "unknown",
    }


def test_verify_answer_is_typed_not_a_free_form_object():
    operation = api_schema().raw_schema["paths"][VERIFY]["get"]["responses"]
    for code in ("200", "400", "404"):
        ref = operation[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Verification", code
    verification = api_schema().raw_schema["components"]["schemas"]["Verification"]
    assert {"serial", "status"} <= set(verification["required"])
    assert "holder" in verification["properties"]
    assert operation["429"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/Error"
    )
    assert "Retry-After" in operation["429"]["headers"]


def test_the_certificate_list_is_documented_as_the_page_it_is(make_issued):
    make_issued()
    response = call("GET", CERTIFICATES, token=_token(ApiScope.READ))
    assert response.status_code == 200
    assert set(response.get_json()) == {"next", "previous", "results"}
    conforms(response, CERTIFICATES, "get")
    paged = call("GET", CERTIFICATES + "?page_size=1", token=_token(ApiScope.READ))
    conforms(paged, CERTIFICATES, "get")


def test_issue_answers_a_documented_201_then_200(db):
    token = _token(ApiScope.ISSUE)
    body = _issue_body()
    headers = {"Idempotency-Key": "contract-1"}
    first = call("POST", CERTIFICATES, token=token, json=body, headers=headers)
    again = call("POST", CERTIFICATES, token=token, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    conforms(first, CERTIFICATES, "post")
    conforms(again, CERTIFICATES, "post")


def test_refusals_are_documented(make_issued):
    cert = make_issued()
    no_scope = call("GET", CERTIFICATES, token=_token(ApiScope.STATS))
    assert no_scope.status_code == 403
    conforms(no_scope, CERTIFICATES, "get")
    bad_cursor = call("GET", CERTIFICATES + "?cursor=zz", token=_token(ApiScope.READ))
    assert bad_cursor.status_code == 400
    conforms(bad_cursor, CERTIFICATES, "get")
    path = "/api/v1/registry/certificates/{serial}/revoke/"
    url = f"/api/v1/registry/certificates/{cert.serial_display}/revoke/"
    token = _token(ApiScope.REVOKE)
    asked = call("POST", url, token=token, json={"reason": "forged"})
    assert asked.status_code == 202
    conforms(asked, path, "post")
    twice = call("POST", url, token=token, json={"reason": "forged"})
    assert twice.status_code == 409
    conforms(twice, path, "post")


def test_verify_when_rate_limited_is_a_documented_429(monkeypatch, make_issued):
    from registry.throttling import VerifyThrottle

    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/min"})
    cert = make_issued()
    url = f"/api/v1/verify/{cert.serial_display}/"
    answers = [call("GET", url) for _ in range(2)]
    assert [r.status_code for r in answers] == [200, 429]
    conforms(answers[1], VERIFY, "get")
    assert answers[1].headers["Retry-After"]


def test_lookup_statistics_keys_and_detail_answer_their_types(make_issued):
    cert = make_issued()
    read = _token(ApiScope.READ)
    lookup = call(
        "POST",
        CERTIFICATES + "lookup/",
        token=read,
        json={"national_id": cert.national_id},
    )
    assert lookup.status_code == 200 and lookup.get_json()["results"]
    conforms(lookup, CERTIFICATES + "lookup/", "post")
    detail = call("GET", f"{CERTIFICATES}{cert.serial_display}/", token=read)
    conforms(detail, CERTIFICATES + "{serial}/", "get")
    missing = call("GET", f"{CERTIFICATES}nope/", token=read)
    assert missing.status_code == 404
    conforms(missing, CERTIFICATES + "{serial}/", "get")
    stats = call("GET", "/api/v1/registry/statistics/", token=_token(ApiScope.STATS))
    conforms(stats, "/api/v1/registry/statistics/", "get")
    keys = call("GET", "/api/v1/registry/keys/")
    conforms(keys, "/api/v1/registry/keys/", "get")


@pytest.mark.parametrize("method", ["DELETE", "PUT", "PATCH"])
def test_a_method_the_endpoint_lacks_is_405_not_403(db, method):
    response = call(method, CERTIFICATES, token=_token(ApiScope.READ))
    assert response.status_code == 405
    assert response.get_json()["code"] == "method_not_allowed"
    anonymous = call(method, CERTIFICATES + "lookup/")
    assert anonymous.status_code == 405
