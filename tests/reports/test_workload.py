"""The directorates' workload: pending by age, median and 90th-percentile days from
the passed test to the issued certificate, per directorate; its page and who sees it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from lms.accounts.services import staff_directorate_assign
from lms.kernel.navigation import nav_entries
from lms.reports.services import facts_refresh
from lms.reports.speeds import issue_speeds
from registry.models import Certificate
from registry.selectors import directorate_workload
from registry.services import certificate_approve, certificate_create_pending
from tests.factories import make_national_id

NOW = timezone.now()
DAY = dt.timedelta(days=1)


@pytest.fixture
def queue(db, ministry_staff, make_user):
    """Dakahlia (12): pending 2, 10 and 100 days; issued after 1, 2, 3, 4 and 10
    days. Cairo (01): pending 40 days; issued after 5 and 7 days. A paper-era
    record (never waiting) counts in neither."""
    approver = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=approver.pk, directorate_code="HQ")

    def make(gov: str, *, waited: float | None = None, age: float | None = None):
        cert = certificate_create_pending(
            user_id=None,
            national_id=make_national_id(governorate=gov),
            full_name_ar="منى أحمد",
            full_name_en="",
            occupation_code="7531",
            level_code="skilled",
            source="platform_test",
            evidence={},
            created_by_id=ministry_staff.pk,
            idempotency_key=f"test:{uuid.uuid4().hex}",
        )
        if age is not None:
            Certificate.objects.filter(pk=cert.id).update(created_at=NOW - age * DAY)
            return
        certificate_approve(certificate_id=cert.id, approver_id=approver.pk)
        issued_at = NOW - 0.5 * DAY
        Certificate.objects.filter(pk=cert.id).update(
            # a minute over the whole days: truncated to them in the summary
            approved_at=issued_at,
            created_at=issued_at - waited * DAY - dt.timedelta(minutes=1),
        )

    for age in (2, 10, 100):
        make("12", age=age)
    make("01", age=40)
    for waited in (4, 1, 10, 3, 2):
        make("12", waited=waited)
    for waited in (7, 5):
        make("01", waited=waited)
    make("12", waited=900)
    Certificate.objects.filter(created_at__lt=NOW - 800 * DAY).update(
        source="paper_import"
    )
    facts_refresh()  # the page's days to issue come from the summary


def _period():
    today = timezone.localdate()
    return {"issued_from": today.replace(day=1), "issued_to": today}


def _rows(data):
    return {r.governorate_code: r for r in data.directorates}


@pytest.mark.parametrize("percentiles", ["auto", "window"])
def test_workload_counts_pending_by_age_and_the_days_to_issue(queue, percentiles):
    rows = _rows(directorate_workload(**_period(), percentiles=percentiles, now=NOW))
    assert rows["12"].pending_by_age == (1, 1, 0, 1)
    assert rows["01"].pending_by_age == (0, 0, 1, 0)
    assert rows["12"].issued == 5 and rows["01"].issued == 2
    assert rows["12"].median_days == 3.0
    assert rows["12"].p90_days == 7.6  # 4 + 0.6 × (10 − 4), as percentile_cont
    assert (rows["01"].median_days, rows["01"].p90_days) == (6.0, 6.8)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont")
def test_percentile_cont_and_the_window_fallback_agree(queue):
    fast = directorate_workload(**_period(), now=NOW)
    portable = directorate_workload(**_period(), percentiles="window", now=NOW)
    assert fast == portable


def test_the_summary_gives_the_same_percentiles_as_the_database(queue):
    exact = _rows(directorate_workload(**_period(), now=NOW))
    summary = issue_speeds(**_period())
    assert set(summary) == {"01", "12"}
    for code, (issued, median, p90) in summary.items():
        assert (issued, median, p90) == (
            exact[code].issued,
            exact[code].median_days,
            exact[code].p90_days,
        )


def test_workload_of_one_directorate_holds_nothing_of_another(queue):
    data = directorate_workload(**_period(), governorate_codes=["12"], now=NOW)
    assert [r.governorate_code for r in data.directorates] == ["12"]


def test_head_office_page_compares_every_directorate(client, ministry_staff, queue):
    client.force_login(ministry_staff)
    response = client.get("/reports/workload/")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.context["rows"]}
    assert len(rows) >= 27
    assert rows["12"]["pending"] == 3 and rows["01"]["pending"] == 1
    assert rows["12"]["median"] == "3.0" or rows["12"]["median"] == "3,0"
    assert response.context["total_pending"] == 4
    assert "الدقهلية" in response.content.decode()


def test_directorate_page_shows_its_directorate_only(client, directorate_staff, queue):
    client.force_login(directorate_staff)
    response = client.get("/reports/workload/")
    assert response.status_code == 200
    assert [r["code"] for r in response.context["rows"]] == ["12"]
    assert response.context["total_pending"] == 3
    assert (
        "القاهرة"
        not in response.content.decode().split("<main")[-1].split('id="workload"')[-1]
    )


def test_directorate_staff_cannot_ask_for_another_directorate(
    client, directorate_staff, queue
):
    client.force_login(directorate_staff)
    assert client.get("/reports/workload/", {"governorate": "01"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"date_from": "2020-01", "date_to": "2025-06"}, {"date_from": "2025-13"}],
)
def test_a_bad_period_is_a_400_with_the_form_error(client, ministry_staff, query):
    client.force_login(ministry_staff)
    response = client.get("/reports/workload/", query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_others_are_refused_the_workload(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/reports/workload/").status_code == 403


def test_staff_without_a_directorate_are_refused_the_workload(client, make_user):
    client.force_login(make_user("ministry_staff", is_staff=True))
    assert client.get("/reports/workload/").status_code == 403


def test_the_workplace_offers_the_workload_to_staff_only(
    ministry_staff, directorate_staff, make_user
):
    entry = next(e for e in nav_entries() if e.key == "reports.workload")
    assert entry.shown_to(ministry_staff) and entry.shown_to(directorate_staff)
    assert not entry.shown_to(make_user("trainee"))
    assert not entry.shown_to(make_user("ministry_staff", is_staff=True))
