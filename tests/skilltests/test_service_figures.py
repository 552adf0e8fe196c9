"""Who sees the skill-test service figures (issue #21 item 6): the reports page
`/reports/skill-tests/` and the API under `/api/v1/skill-tests/` (scope
`skilltests:read`); every refusal has its test, the figures are those the refresh
computed from known events."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lms.reports.services import facts_refresh
from tests.skilltests.test_report_facts import N, expected_counts, scene  # noqa: F401

pytestmark = pytest.mark.django_db

SEPT = {"date_from": "2026-09", "date_to": "2026-09"}
FIGURES = "/api/v1/skill-tests/figures/by/governorate/"
CENTRES = "/api/v1/skill-tests/centres/"


@pytest.fixture
def refreshed(scene):  # noqa: F811
    facts_refresh()
    return scene


def as_system(scopes):
    from registry.services import api_client_create

    api = APIClient()
    _client, token = api_client_create(name="gov-portal", scopes=scopes)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_system_with_the_scope_reads_the_rates(refreshed):
    body = as_system(["skilltests:read"]).get(FIGURES, SEPT).json()
    sharqia = next(r for r in body["rows"] if r["key"] == "13")
    expected = expected_counts()
    assert sharqia["applications"] == N
    assert sharqia["pass_rate"] == round(
        100 * expected["skilltest_passes"] / expected["skilltest_results"], 1
    )
    assert sharqia["days_to_test"] == round(
        expected["skilltest_wait_to_test_days"] / expected["skilltest_tested"], 1
    )
    cairo = next(r for r in body["rows"] if r["key"] == "01")
    assert cairo["applications"] == "<5"
    assert body["period"] == {"from": "2026-09", "to": "2026-09"}


def test_a_system_reads_each_centres_figures(refreshed):
    body = as_system(["skilltests:read"]).get(CENTRES, SEPT).json()
    centres = {c["code"]: c for c in body["centres"]}
    assert centres["13-zagazig"]["tested"] == sum(
        1 for i in range(N) if i % 2 == 0 and i < 16
    )
    assert centres["13-tenth-ramadan"]["passes"] == sum(
        1 for i in range(N) if i % 2 == 1 and i < 11
    )


@pytest.mark.parametrize("url", [FIGURES, CENTRES])
def test_a_token_without_the_scope_is_refused(refreshed, url):
    response = as_system(["registry:read", "reports:read"]).get(url, SEPT)
    assert response.status_code == 403
    assert response.json()["code"]


@pytest.mark.parametrize("url", [FIGURES, CENTRES])
def test_anonymous_callers_are_refused(url, db):
    response = APIClient().get(url, SEPT)
    assert response.status_code in (401, 403)


def test_a_trainee_is_refused_by_the_api(refreshed, applicant):
    api = APIClient()
    api.force_authenticate(user=applicant)
    assert api.get(FIGURES, SEPT).status_code == 403


def test_directorate_staff_read_their_directorate_only(refreshed, cairo_staff):
    api = APIClient()
    api.force_authenticate(user=cairo_staff)
    body = api.get(FIGURES, SEPT).json()
    assert {r["key"] for r in body["rows"]} == {"01"}
    assert api.get(CENTRES, SEPT).json()["centres"] == []


@pytest.mark.parametrize("url", [FIGURES, CENTRES])
def test_directorate_staff_asking_for_another_governorate_are_refused(
    refreshed, cairo_staff, url
):
    api = APIClient()
    api.force_authenticate(user=cairo_staff)
    response = api.get(url, {**SEPT, "governorate": "13"})
    assert response.status_code == 400


def test_an_unknown_breakdown_is_not_found(refreshed):
    response = as_system(["skilltests:read"]).get(
        "/api/v1/skill-tests/figures/by/gender/", SEPT
    )
    assert response.status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/skill-tests/figures/by/{dimension}/" in schema["paths"]
    assert "/api/v1/skill-tests/centres/" in schema["paths"]


def test_the_scope_can_be_granted_to_a_client():
    from registry.models import ApiScope

    assert "skilltests:read" in ApiScope.values


# --- the reports page ---------------------------------------------------------------


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:skill_tests"), {**SEPT, **query})


def test_head_office_sees_every_directorate_and_centre(client, refreshed, head_office):
    response = page(client, head_office)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="13"' in html and 'data-key="01"' in html
    assert 'data-key="13-zagazig"' in html
    assert "<svg" in html  # the tile map of pass rates


def test_the_page_shows_the_worked_out_pass_rate(client, refreshed, head_office):
    from django.utils import formats

    expected = expected_counts()
    rate = round(100 * expected["skilltest_passes"] / expected["skilltest_results"], 1)
    html = page(client, head_office).content.decode()
    assert f"{formats.number_format(rate, 1)}%" in html


def test_a_directorate_sees_its_own_figures_only(client, refreshed, cairo_staff):
    html = page(client, cairo_staff).content.decode()
    assert 'data-key="01"' in html
    assert 'data-key="13"' not in html and "13-zagazig" not in html


def test_a_directorate_asking_for_another_is_refused(client, refreshed, cairo_staff):
    assert page(client, cairo_staff, governorate="13").status_code == 400


def test_staff_without_a_directorate_are_refused(client, refreshed, make_user):
    staff = make_user("ministry_staff", is_staff=True)
    assert page(client, staff).status_code == 403


def test_a_trainee_is_refused_the_page(client, refreshed, applicant):
    assert page(client, applicant).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("reports:skill_tests"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_counts_are_figures_of_the_dashboard_and_its_map(
    client, refreshed, head_office
):
    client.force_login(head_office)
    html = client.get(
        reverse("reports:dashboard"), {**SEPT, "metric": "skilltest_applications"}
    ).content.decode()
    tile = re.search(r'<g class="tile" data-code="13"[^>]*aria-label="([^"]*)"', html)
    assert tile and re.search(rf"\b{N}\b", tile.group(1))
    waits = client.get(
        reverse("reports:dashboard"), {**SEPT, "metric": "skilltest_wait_to_test_days"}
    )
    assert waits.status_code == 400  # a part of a mean, never a figure of its own
