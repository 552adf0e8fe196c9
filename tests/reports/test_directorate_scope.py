"""Directorate staff see their directorate's figures only; the head office all.

Before: every staff account saw every governorate's figures, and a directorate's
staff could ask for another's by its code.
"""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.test import APIClient

from lms.accounts.services import staff_directorate_assign

RANGE = {"date_from": "2025-01", "date_to": "2025-06", "metric": "enrolments"}


def _overview(response) -> dict[str, int | None]:
    return {r.metric.code: r.this_year.value for r in response.context["overview"]}


def test_head_office_sees_and_compares_every_directorate(client, ministry_staff, known):
    client.force_login(ministry_staff)
    response = client.get("/reports/", RANGE)
    assert response.status_code == 200
    assert _overview(response)["enrolments"] == 40
    _dim, _label, table = response.context["gov_table"]
    assert {r.key for r in table.rows} == {"01", "02", "12"}


def test_directorate_staff_see_their_governorate_only(client, directorate_staff, known):
    client.force_login(directorate_staff)
    response = client.get("/reports/", RANGE)
    assert response.status_code == 200
    assert _overview(response)["enrolments"] == 20  # Dakahlia's only
    _dim, _label, table = response.context["gov_table"]
    assert [r.key for r in table.rows] == ["12"]
    html = response.content.decode()
    assert "القاهرة: " not in html.replace("القاهرة: ·", "")  # a blank tile only


def test_directorate_staff_cannot_ask_for_another_directorate(
    client, directorate_staff, known
):
    client.force_login(directorate_staff)
    page = client.get("/reports/", {**RANGE, "governorate": "01"})
    assert page.status_code == 400
    export = client.get(
        "/reports/export/governorate.csv", {**RANGE, "governorate": "01"}
    )
    assert export.status_code == 400
    assert "Content-Disposition" not in export


def test_directorate_export_holds_their_figures_only(client, directorate_staff, known):
    client.force_login(directorate_staff)
    response = client.get("/reports/export/governorate.csv", RANGE)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:-1]] == ["الدقهلية"]
    assert rows[-1][1] == "20"


def test_directorate_api_answers_their_figures_only(directorate_staff, known):
    api = APIClient()
    api.force_authenticate(directorate_staff)
    body = api.get("/api/v1/reports/enrolments/by/governorate/", RANGE).json()
    assert [r["key"] for r in body["rows"]] == ["12"]
    refused = api.get(
        "/api/v1/reports/enrolments/by/governorate/", {**RANGE, "governorate": "02"}
    )
    assert refused.status_code == 400


def test_staff_without_a_directorate_are_refused(client, make_user, known):
    user = make_user("ministry_staff", is_staff=True)
    client.force_login(user)
    assert client.get("/reports/", RANGE).status_code == 403
    assert client.get("/reports/export/month.csv", RANGE).status_code == 403


def test_trainee_is_refused_the_figures_and_their_export(client, trainee, known):
    client.force_login(trainee)
    assert client.get("/reports/", RANGE).status_code == 403
    assert client.get("/reports/export/governorate.csv", RANGE).status_code == 403


@pytest.mark.parametrize("code", ["13", "01"])
def test_another_directorate_sees_nothing_of_dakahlia(client, make_user, known, code):
    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code=code)
    client.force_login(user)
    response = client.get("/reports/", RANGE)
    _dim, _label, table = response.context["gov_table"]
    assert "12" not in {r.key for r in table.rows}
