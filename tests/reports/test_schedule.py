"""The summary is refreshed by the worker's sweep: on a schedule and after many
changed facts (no cron); staff may ask for a refresh now.

Before: nothing refreshed it under `make run` (only seed_demo and a manual command),
so the page showed figures of the day the demo was seeded.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail import hooks

from lms.kernel.report_rows import (
    CHANGED_FROM_KEY,
    CHANGED_KEY,
    report_facts_changed,
    report_facts_changes_pending,
)
from lms.ops.periodic import periodic_jobs_run
from lms.reports import schedule
from lms.reports.facts import HOOK_NAME
from lms.reports.models import ReportFact, ReportRefresh
from lms.reports.services import facts_refresh
from tests.reports.conftest import fact


@pytest.fixture(autouse=True)
def _fresh_counters():
    keys = [CHANGED_KEY, CHANGED_FROM_KEY, schedule.CLAIM_KEY, schedule.NOW_KEY]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def source(db):
    rows = [
        fact("enrolments", "2025-01-01", "01", "7531", "assistant", "male", 0, 1, 9)
    ]

    def source(*, since=None):
        return list(rows)

    with hooks.register_temporarily(HOOK_NAME, source):
        yield rows


def _sweep():
    """What the worker's sweep runs (lms.ops.tasks.sweep), then the claim expires."""
    periodic_jobs_run()
    cache.delete(schedule.CLAIM_KEY)


def _age(refresh: ReportRefresh, seconds: float) -> None:
    ReportRefresh.objects.filter(pk=refresh.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_the_sweep_computes_figures_never_computed(source):
    assert not ReportRefresh.objects.exists()
    _sweep()
    assert ReportRefresh.objects.get().since is None
    assert ReportFact.objects.get().value == 9


def test_the_sweep_leaves_fresh_figures_alone(source):
    facts_refresh()
    _sweep()
    assert ReportRefresh.objects.count() == 1


def test_the_sweep_refreshes_last_months_on_after_the_hour(source, settings):
    settings.REPORTS_REFRESH_EVERY_S = 3600
    _age(facts_refresh(), 3601)
    source[0] = dict(source[0], value=11)
    _sweep()
    latest = ReportRefresh.objects.latest()
    assert ReportRefresh.objects.count() == 2
    this_month = timezone.localdate().replace(day=1)
    assert latest.since < this_month


def test_the_sweep_refreshes_in_full_once_a_day(source, settings):
    _age(facts_refresh(), 86401)
    _sweep()
    assert ReportRefresh.objects.latest().since is None


def test_many_changed_facts_refresh_before_the_hour(
    source, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_REFRESH_AFTER_CHANGES = 3
    settings.REPORTS_REFRESH_MIN_GAP_S = 60
    _age(facts_refresh(), 61)
    with django_capture_on_commit_callbacks(execute=True):
        report_facts_changed(count=2)
    _sweep()
    assert ReportRefresh.objects.count() == 1  # 2 < 3
    with django_capture_on_commit_callbacks(execute=True):
        report_facts_changed(month=dt.date(2024, 5, 20))
    _sweep()
    assert ReportRefresh.objects.count() == 2
    assert ReportRefresh.objects.latest().since == dt.date(2024, 5, 1)
    assert report_facts_changes_pending() == 0


def test_changes_wait_for_the_minimum_gap(
    source, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_REFRESH_AFTER_CHANGES = 1
    settings.REPORTS_REFRESH_MIN_GAP_S = 600
    facts_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        report_facts_changed(count=50)
    _sweep()
    assert ReportRefresh.objects.count() == 1


def test_a_rolled_back_change_is_not_counted(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_facts_changed(count=5)
    assert callbacks and report_facts_changes_pending() == 0


def test_issuing_and_revoking_a_certificate_count_as_changes(
    db, ministry_staff, make_user, django_capture_on_commit_callbacks
):
    import uuid

    from lms.accounts.services import staff_directorate_assign
    from registry.services import (
        certificate_approve,
        certificate_create_pending,
        revocation_request_confirm,
        revocation_request_create,
    )
    from tests.factories import make_national_id

    approver = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=approver.pk, directorate_code="HQ")
    cert = certificate_create_pending(
        user_id=None,
        national_id=make_national_id(),
        full_name_ar="منى أحمد",
        full_name_en="",
        occupation_code="7531",
        level_code="skilled",
        source="platform_test",
        evidence={},
        created_by_id=ministry_staff.pk,
        idempotency_key=f"test:{uuid.uuid4().hex}",
    )
    assert report_facts_changes_pending() == 0  # pending counts in no figure
    with django_capture_on_commit_callbacks(execute=True):
        certificate_approve(certificate_id=cert.id, approver_id=approver.pk)
    assert report_facts_changes_pending() == 1
    with django_capture_on_commit_callbacks(execute=True):
        request = revocation_request_create(
            certificate_id=cert.id, actor_id=approver.pk, reason="خطأ في البيانات"
        )
    assert report_facts_changes_pending() == 1  # asked, still valid: no change
    with django_capture_on_commit_callbacks(execute=True):
        revocation_request_confirm(request_id=request.id, actor_id=ministry_staff.pk)
    assert report_facts_changes_pending() == 2


# --- "Refresh now" -------------------------------------------------------------------


def test_staff_refresh_now_recomputes_and_comes_back(client, ministry_staff, source):
    client.force_login(ministry_staff)
    page = client.get("/reports/")
    assert 'action="/reports/refresh/"' in page.content.decode()
    response = client.post("/reports/refresh/", {"next": "/reports/?metric=enrolments"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/?metric=enrolments"
    assert ReportRefresh.objects.count() == 1


def test_refresh_now_is_rate_limited(client, ministry_staff, directorate_staff, source):
    client.force_login(ministry_staff)
    assert client.post("/reports/refresh/").status_code == 302
    again = client.post("/reports/refresh/")
    assert again.status_code == 429
    assert 'role="alert"' in again.content.decode()
    client.force_login(directorate_staff)
    assert client.post("/reports/refresh/").status_code == 429
    assert ReportRefresh.objects.count() == 1


def test_refresh_now_needs_a_post_with_its_csrf_token(ministry_staff, source):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ministry_staff)
    assert strict.get("/reports/refresh/").status_code == 405
    assert strict.post("/reports/refresh/").status_code == 403
    assert not ReportRefresh.objects.exists()


def test_refresh_now_goes_nowhere_outside_the_site(client, ministry_staff, source):
    client.force_login(ministry_staff)
    response = client.post("/reports/refresh/", {"next": "https://evil.example/"})
    assert response["Location"] == "/reports/"


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_refresh_now_is_refused_to_others(client, make_user, source, role):
    client.force_login(make_user(role))
    assert client.post("/reports/refresh/").status_code == 403
    assert not ReportRefresh.objects.exists()


def test_instructors_see_no_refresh_button(client, instructor, known):
    client.force_login(instructor)
    assert "/reports/refresh/" not in client.get("/reports/").content.decode()


def test_the_page_says_when_the_figures_were_taken(client, ministry_staff, known):
    client.force_login(ministry_staff)
    html = client.get("/en/reports/").content.decode()
    assert "Figures as of" in html
    refresh = ReportRefresh.objects.latest()
    local = timezone.localtime(refresh.started_at)
    assert f"{local:%Y}" in html and f"{local.day}" in html
