"""The reports API: same figures as the pages, "<5" included, behind scopes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

RANGE = {"date_from": "2025-01", "date_to": "2025-06"}


@pytest.fixture
def api():
    return APIClient()


def as_system(api, make_user, scopes):
    """A government system authenticated by its real DRF token and registry scopes."""
    from registry.services import api_client_create

    _client, token = api_client_create(name="gov-portal", scopes=scopes)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_staff_read_a_breakdown_with_suppressed_cells(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    response = api.get("/api/v1/reports/enrolments/by/governorate/", RANGE)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2025-01", "to": "2025-06"}
    assert body["last_year_period"] == {"from": "2024-01", "to": "2024-06"}
    rows = {r["key"]: (r["this_year"], r["last_year"]) for r in body["rows"]}
    assert rows == {"01": ("<5", 6), "02": ("<5", 0), "12": (20, 8)}
    assert body["total"] == {"kind": "sum", "this_year": 40, "last_year": 14}
    assert body["as_of"] is not None


def test_distinct_metric_total_is_the_peak_month(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    body = api.get("/api/v1/reports/active_trainees/by/gender/", RANGE).json()
    assert body["total"] == {"kind": "peak_month", "this_year": 11, "last_year": 0}


def test_filters_apply_in_the_api(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    body = api.get("/api/v1/reports/overview/", {**RANGE, "occupation": "7531"}).json()
    rows = {r["metric"]: r for r in body["rows"]}
    assert rows["enrolments"]["this_year"] == 17
    assert body["filters"]["occupation"] == "7531"


def test_pass_rates_endpoint(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    rows = api.get("/api/v1/reports/pass-rates/", RANGE).json()["rows"]
    assert rows[0] == {
        "level": "assistant",
        "label": "عامل مساعد",
        "attempts": 20,
        "passes": 15,
        "pass_rate_pct": 75.0,
    }


def test_client_with_reports_read_scope_reads(api, make_user, known):
    client = as_system(api, make_user, ["reports:read"])
    response = client.get("/api/v1/reports/overview/", RANGE)
    assert response.status_code == 200
    assert {r["metric"] for r in response.json()["rows"]} >= {"certificates_issued"}


def test_client_without_the_scope_is_refused(api, make_user, known):
    client = as_system(api, make_user, ["registry:read"])
    assert client.get("/api/v1/reports/overview/", RANGE).status_code == 403


def test_instructor_api_is_limited_to_their_courses(api, instructor, known):
    api.force_authenticate(user=instructor)
    body = api.get("/api/v1/reports/enrolments/by/occupation/", RANGE).json()
    assert [r["key"] for r in body["rows"]] == ["7531"]
    response = api.get("/api/v1/reports/certificates_issued/by/month/", RANGE)
    assert response.status_code == 404


def test_trainee_is_refused_by_the_api(api, trainee, known):
    api.force_authenticate(user=trainee)
    assert api.get("/api/v1/reports/overview/").status_code == 403


def test_assessor_is_refused_by_the_api(api, assessor, known):
    api.force_authenticate(user=assessor)
    assert api.get("/api/v1/reports/metrics/").status_code == 403


def test_anonymous_is_refused_by_the_api(api, known):
    assert api.get("/api/v1/reports/overview/").status_code in (401, 403)


def test_bad_month_is_a_clear_400(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    response = api.get("/api/v1/reports/overview/", {"date_from": "2025-13"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"date_from"} and body["fields"]["date_from"]
    assert body["message"]


def test_unknown_dimension_is_404(api, ministry_staff, known):
    api.force_authenticate(user=ministry_staff)
    response = api.get("/api/v1/reports/enrolments/by/national_id/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
