import base64
import threading

import pytest
from rest_framework.test import APIClient

from registry.models import ApiScope, Certificate
from registry.services import api_client_create
from tests.conftest import requires_postgres
from tests.factories import make_national_id

ENDPOINTS = {
    ("get", "/api/v1/registry/certificates/"): ApiScope.READ,
    ("post", "/api/v1/registry/certificates/lookup/"): ApiScope.READ,
    ("post", "/api/v1/registry/certificates/"): ApiScope.ISSUE,
    ("get", "/api/v1/registry/statistics/"): ApiScope.STATS,
}


def _client_with(scopes, name="portal"):
    _client, token = api_client_create(name=name, scopes=list(scopes))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def _issue_body(**overrides):
    body = {
        "national_id": make_national_id(),
        "full_name_ar": "أحمد فتحي",
        "occupation_code": "7127",
        "level_code": "technician",
        "evidence": {"centre": "Cairo-3", "practical_score": 87},
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(("method", "url"), list(ENDPOINTS))
def test_token_without_the_scope_is_refused(db, method, url):
    others = [s for s in ApiScope.values if s != ENDPOINTS[(method, url)]]
    api = _client_with(others)
    response = getattr(api, method)(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), list(ENDPOINTS))
def test_anonymous_is_refused(db, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(("method", "url"), list(ENDPOINTS))
def test_trainee_session_is_refused(trainee, method, url):
    api = APIClient()
    api.force_authenticate(trainee)
    assert getattr(api, method)(url, {}, format="json").status_code == 403


def test_revoke_needs_the_revoke_scope(make_issued):
    cert = make_issued()
    api = _client_with([ApiScope.READ, ApiScope.ISSUE])
    url = f"/api/v1/registry/certificates/{cert.serial}/revoke/"
    assert api.post(url, {"reason": "x"}, format="json").status_code == 403
    assert Certificate.objects.get(pk=cert.id).status == "issued"


def test_revoke_with_scope_asks_and_staff_confirm(make_issued, second_staff):
    """Another system asks; the certificate stays valid until staff confirm."""
    from registry.services import revocation_request_confirm

    cert = make_issued()
    api = _client_with([ApiScope.REVOKE])
    url = f"/api/v1/registry/certificates/{cert.serial}/revoke/"
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"reason": "Fraud found by inspection"}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "requested"
    assert Certificate.objects.get(pk=cert.id).status == "issued"
    revocation_request_confirm(
        request_id=response.json()["request_id"], actor_id=second_staff.pk
    )
    assert Certificate.objects.get(pk=cert.id).status == "revoked"


def test_detail_needs_read_scope(make_issued):
    cert = make_issued()
    url = f"/api/v1/registry/certificates/{cert.serial}/"
    assert _client_with([ApiScope.STATS]).get(url).status_code == 403
    assert (
        _client_with([ApiScope.READ], name="b").get(url).json()["serial"]
        == cert.serial_display
    )


def test_lookup_by_national_id_in_body(make_issued):
    cert = make_issued()
    api = _client_with([ApiScope.READ])
    response = api.post(
        "/api/v1/registry/certificates/lookup/",
        {"national_id": cert.national_id},
        format="json",
    )
    results = response.json()["results"]
    assert [r["serial"] for r in results] == [cert.serial_display]
    assert results[0]["national_id"] == cert.national_id


def test_lookup_refuses_malformed_national_id(db):
    api = _client_with([ApiScope.READ])
    response = api.post(
        "/api/v1/registry/certificates/lookup/", {"national_id": "123"}, format="json"
    )
    assert response.status_code == 400


def test_issue_with_same_idempotency_key_issues_once(db):
    api = _client_with([ApiScope.ISSUE])
    body = _issue_body()
    first = api.post(
        "/api/v1/registry/certificates/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="req-1",
    )
    again = api.post(
        "/api/v1/registry/certificates/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="req-1",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["serial"] == again.json()["serial"]
    assert first.json()["status"] == "pending"
    assert Certificate.objects.count() == 1


def test_issue_without_idempotency_key_is_refused(db):
    api = _client_with([ApiScope.ISSUE])
    response = api.post("/api/v1/registry/certificates/", _issue_body(), format="json")
    assert response.status_code == 400
    assert Certificate.objects.count() == 0


def test_issue_with_unknown_occupation_is_refused(db):
    api = _client_with([ApiScope.ISSUE])
    response = api.post(
        "/api/v1/registry/certificates/",
        _issue_body(occupation_code="0000"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert response.status_code == 400


def test_list_filters_and_cursor_pagination(make_issued):
    for level in ("assistant", "skilled", "technician"):
        make_issued(level_code=level, national_id=make_national_id(governorate="01"))
    make_issued(occupation_code="7422", national_id=make_national_id(governorate="02"))
    api = _client_with([ApiScope.READ])
    page = api.get(
        "/api/v1/registry/certificates/", {"occupation": "7531", "page_size": 2}
    ).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = api.get(page["next"]).json()
    serials = {r["serial"] for r in page["results"] + rest["results"]}
    assert len(serials) == 3 and rest["next"] is None
    assert all("national_id" not in r for r in rest["results"])
    by_gov = api.get("/api/v1/registry/certificates/", {"governorate": "02"}).json()
    assert [r["occupation_code"] for r in by_gov["results"]] == ["7422"]


def test_list_by_occupation_and_level_and_unknown_codes(make_issued):
    make_issued(level_code="assistant")
    wanted = make_issued(level_code="skilled")
    make_issued(level_code="skilled", occupation_code="7422")
    api = _client_with([ApiScope.READ])
    url = "/api/v1/registry/certificates/"
    both = api.get(url, {"occupation": "7531", "level": "skilled"}).json()
    assert [r["serial"] for r in both["results"]] == [wanted.serial_display]
    for unknown in ({"occupation": "0000"}, {"level": "grandmaster"}):
        response = api.get(url, unknown)
        assert response.status_code == 200 and response.json()["results"] == []


def test_list_refuses_bad_filter(db):
    api = _client_with([ApiScope.READ])
    assert (
        api.get(
            "/api/v1/registry/certificates/", {"issued_from": "yesterday"}
        ).status_code
        == 400
    )


def test_statistics_count_by_dimension(make_issued, make_pending):
    make_issued(level_code="assistant")
    make_issued(level_code="skilled")
    make_pending()
    data = _client_with([ApiScope.STATS]).get("/api/v1/registry/statistics/").json()
    assert data["total"] == 3
    assert {r["key"]: r["count"] for r in data["by_status"]} == {
        "issued": 2,
        "pending": 1,
    }
    assert sum(r["count"] for r in data["by_month"]) == 2


def test_ministry_staff_session_may_use_the_api(ministry_staff, make_issued):
    from lms.accounts.services import staff_directorate_assign

    # statistics are scoped by directorate (tests/registry/test_statistics_scope.py)
    staff_directorate_assign(user_id=ministry_staff.pk, directorate_code="HQ")
    make_issued()
    api = APIClient()
    api.force_authenticate(ministry_staff)
    assert api.get("/api/v1/registry/statistics/").json()["total"] == 1


def test_inactive_client_is_refused(db):
    api = _client_with([ApiScope.STATS])
    from registry.models import ApiClient

    ApiClient.objects.update(is_active=False)
    assert api.get("/api/v1/registry/statistics/").status_code == 403


def test_statistics_are_counted_once_until_the_registry_changes(
    make_issued, revoke, django_assert_num_queries
):
    from registry.selectors import certificate_statistics

    cert = make_issued()
    make_issued(level_code="assistant")
    first = certificate_statistics(occupation="7531")
    with django_assert_num_queries(0):
        assert certificate_statistics(occupation="7531") == first
    revoke(cert, "x")
    after = certificate_statistics(occupation="7531")
    assert {r.key: r.count for r in after.by_status} == {"issued": 1, "revoked": 1}
    assert certificate_statistics(occupation="7422").total == 0


def test_statistics_follow_an_import(make_issued, tmp_path):
    from registry.importer import import_file
    from registry.selectors import certificate_statistics

    make_issued()
    assert certificate_statistics().total == 1
    path = tmp_path / "paper.csv"
    path.write_text(
        "national_id,full_name_ar,full_name_en,occupation_code,skill_level,"
        "issue_date,governorate_code,legacy_number\n"
        f"{make_national_id()},سعاد علي,,7531,skilled,2019-05-02,01,P1\n",
        encoding="utf-8",
    )
    assert import_file(path).inserted == 1
    assert certificate_statistics().total == 2


def test_refusals_answer_the_one_error_body_with_their_status(make_issued):
    cert = make_issued()
    api = _client_with([ApiScope.READ, ApiScope.REVOKE, ApiScope.ISSUE])
    revoke = f"/api/v1/registry/certificates/{cert.serial}/revoke/"
    assert api.post(revoke, {"reason": "Forged"}, format="json").status_code == 202
    again = api.post(revoke, {"reason": "Forged"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_requested"
    unknown = api.get("/api/v1/registry/certificates/AAAA-AAAA-AAA/")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    lookup = api.post(
        "/api/v1/registry/certificates/lookup/", {"national_id": "123"}, format="json"
    )
    assert lookup.status_code == 400 and lookup.json()["code"] == "length"
    assert "14" in lookup.json()["fields"]["national_id"][0]
    no_key = api.post("/api/v1/registry/certificates/", _issue_body(), format="json")
    assert no_key.status_code == 400 and "Idempotency-Key" in no_key.json()["fields"]
    bad_cursor = api.get("/api/v1/registry/certificates/", {"cursor": "zz"})
    assert bad_cursor.status_code == 400 and bad_cursor.json()["code"] == "cursor"
    huge = base64.urlsafe_b64encode(f"b{2**63}".encode()).decode()
    beyond = api.get("/api/v1/registry/certificates/", {"cursor": huge})
    assert beyond.status_code == 400 and beyond.json()["code"] == "cursor"
    for body in (again, unknown, lookup, no_key, bad_cursor):
        assert set(body.json()) == {"code", "message", "fields"}
        assert body.json()["message"]


def test_pages_walk_forward_and_back_by_cursor(make_issued):
    made = [make_issued(national_id=make_national_id()) for _ in range(5)]
    api = _client_with([ApiScope.READ])
    first = api.get("/api/v1/registry/certificates/", {"page_size": 2}).json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert third["next"] is None
    newest_first = [c.serial_display for c in reversed(made)]
    pages = [first, second, third]
    assert [r["serial"] for p in pages for r in p["results"]] == newest_first
    back = api.get(third["previous"]).json()
    assert back["results"] == second["results"]
    assert api.get(back["previous"]).json()["results"] == first["results"]
    assert api.get(back["previous"]).json()["previous"] is None


def test_a_replayed_submission_answers_the_first_one_and_200(db):
    from registry.services import certificate_submit

    body = {
        "user_id": None,
        "full_name_en": "",
        "source": "in_person_test",
        "evidence": {},
        "created_by_id": None,
        "idempotency_key": "replay-1",
        **{k: v for k, v in _issue_body().items() if k != "evidence"},
    }
    first, created = certificate_submit(**body)
    again, created_again = certificate_submit(**body)
    assert (created, created_again) == (True, False)
    assert again == first


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_first_requests_create_one_and_only_one_answers_201(
    monkeypatch,
):
    """Both requests look for the key before either inserts (held at a barrier), on
    two connections: the one whose insert commits answers 201, the other 200."""
    from django.db import connection

    from registry.services import certificates as service

    real = service._by_idempotency_key
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()

    def looked_then_wait(key):
        found = real(key)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()
        return found

    monkeypatch.setattr(service, "_by_idempotency_key", looked_then_wait)
    _client, token = api_client_create(name="racer", scopes=[ApiScope.ISSUE])
    body = _issue_body()
    answers = []

    def post():
        try:
            api = APIClient()
            api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            answers.append(
                api.post(
                    "/api/v1/registry/certificates/",
                    body,
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="race-1",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json()["serial"] == answers[1].json()["serial"]
    assert Certificate.objects.count() == 1
