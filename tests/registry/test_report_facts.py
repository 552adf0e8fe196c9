"""registry.selectors.report_facts: certificates issued and revoked, counted in the
database, and the figures the statistics show once refreshed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lms.reports.models import ReportFact
from lms.reports.selectors import (
    ReportFilters,
    ReportScope,
    overview,
    report_table,
)
from lms.reports.services import facts_refresh
from registry.models import Certificate
from registry.selectors import report_facts
from tests.factories import fact_cells, make_national_id
from tests.registry.helpers import revoke_by_two as certificate_revoke

CAIRO = ZoneInfo("Africa/Cairo")
FEB, MAR, APR, MAY = (dt.date(2025, m, 1) for m in (2, 3, 4, 5))


@pytest.fixture
def registry_world(db, make_pending, make_issued, ministry_staff, make_user):
    """Known counts:
    - February 2025: 6 issued to women of Cairo (01) in 7531/skilled, one of them
      held by an account that declared a disability;
    - March 2025: 2 issued to men of Giza (21) in 7422/assistant;
    - April 2025: 5 issued to men of Alexandria (02) in 7531/skilled;
    - one February certificate revoked in April, another on 1 May 00:30 Cairo time
      (still 30 April in UTC): revocations count in their own month, and the
      certificates stay counted as issued in February;
    - 2 pending certificates (Cairo women): counted nowhere.
    """
    disabled = make_user(
        national_id=make_national_id(governorate="01", gender="female"),
        has_disability=True,
    )
    feb = []
    for n in range(6):
        cert = make_issued(
            national_id=disabled.national_id
            if n == 0
            else make_national_id(governorate="01", gender="female"),
            user_id=disabled.pk if n == 0 else None,
        )
        feb.append(cert)
    mar = [
        make_issued(
            national_id=make_national_id(governorate="21", gender="male"),
            occupation_code="7422",
            level_code="assistant",
        )
        for _ in range(2)
    ]
    apr = [
        make_issued(national_id=make_national_id(governorate="02", gender="male"))
        for _ in range(5)
    ]
    for _ in range(2):
        make_pending(national_id=make_national_id(governorate="01", gender="female"))
    Certificate.objects.filter(pk__in=[c.id for c in feb]).update(
        issue_date=dt.date(2025, 2, 14)
    )
    Certificate.objects.filter(pk__in=[c.id for c in mar]).update(
        issue_date=dt.date(2025, 3, 31)
    )
    Certificate.objects.filter(pk__in=[c.id for c in apr]).update(
        issue_date=dt.date(2025, 4, 1)
    )
    for cert, when in (
        (feb[1], dt.datetime(2025, 4, 20, 10, tzinfo=CAIRO)),
        (feb[2], dt.datetime(2025, 5, 1, 0, 30, tzinfo=CAIRO)),
    ):
        certificate_revoke(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason="خطأ في البيانات"
        )
        Certificate.objects.filter(pk=cert.id).update(revoked_at=when)
    return feb, mar


def cells(metric, rows=None):
    return fact_cells(metric, report_facts() if rows is None else rows)


def test_issued_certificates_by_issue_month_and_holder(registry_world):
    assert cells("certificates_issued") == {
        (FEB, "01", "female", False, "7531", "skilled", None): 5,
        (FEB, "01", "female", True, "7531", "skilled", None): 1,
        (MAR, "21", "male", False, "7422", "assistant", None): 2,
        (APR, "02", "male", False, "7531", "skilled", None): 5,
    }


def test_revocations_count_in_the_cairo_month_they_happened(registry_world):
    assert cells("certificates_revoked") == {
        (APR, "01", "female", False, "7531", "skilled", None): 1,
        (MAY, "01", "female", False, "7531", "skilled", None): 1,
    }


def test_pending_certificates_count_nowhere(registry_world, make_pending):
    before = list(report_facts())
    make_pending(national_id=make_national_id(governorate="88", gender="male"))
    assert list(report_facts()) == before
    assert all(r["governorate_code"] != "88" for r in before)


def test_since_keeps_only_later_months(registry_world):
    recent = list(report_facts(since=dt.date(2025, 3, 15)))
    assert cells("certificates_issued", recent) == {
        (MAR, "21", "male", False, "7422", "assistant", None): 2,
        (APR, "02", "male", False, "7531", "skilled", None): 5,
    }
    assert sum(cells("certificates_revoked", recent).values()) == 2
    may_on = list(report_facts(since=MAY))
    assert cells("certificates_issued", may_on) == {}
    assert list(cells("certificates_revoked", may_on).values()) == [1]


def test_each_metric_is_one_grouped_query(registry_world, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = list(report_facts())
    assert sum(r["value"] for r in rows) == 15


def test_refresh_feeds_the_statistics_with_the_small_cell_rule(registry_world):
    refresh = facts_refresh()
    assert refresh.errors == []
    assert ReportFact.objects.filter(metric="certificates_issued").count() == 4
    filters = ReportFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1))
    by_month = report_table(
        metric="certificates_issued",
        dimension="month",
        filters=filters,
        scope=ReportScope(),
    )
    shown = {row.key: row.this_year.export for row in by_month.rows}
    # March (2) is hidden; April (5), the next smallest, is hidden with it so March
    # cannot be recovered from the total.
    assert shown == {
        "2025-01-01": 0,
        "2025-02-01": 6,
        "2025-03-01": "<5",
        "2025-04-01": "<5",
        "2025-05-01": 0,
        "2025-06-01": 0,
    }
    assert by_month.total_this_year.export == 13
    by_gov = report_table(
        metric="certificates_issued",
        dimension="governorate",
        filters=filters,
        scope=ReportScope(),
    )
    assert {row.key: row.this_year.export for row in by_gov.rows} == {
        "01": 6,
        "02": "<5",
        "21": "<5",
    }
    figures = {
        row.metric.code: row.this_year.export
        for row in overview(filters=filters, scope=ReportScope())
    }
    assert figures["certificates_issued"] == 13
    assert figures["certificates_revoked"] == "<5"


def test_instructors_never_see_certificate_figures(registry_world):
    facts_refresh()
    scope = ReportScope(course_ids=(1, 2))
    filters = ReportFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1))
    assert "certificates_issued" not in {
        row.metric.code for row in overview(filters=filters, scope=scope)
    }
