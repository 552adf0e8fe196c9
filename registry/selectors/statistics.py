"""Figures: the registry API's statistics and the report facts for lms.reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    F,
    QuerySet,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.selectors import user_has_disability_expression
from lms.kernel.errors import Forbidden
from lms.kernel.report_rows import fact_rows
from registry.cache import STATS_TTL_S, statistics_cache_key
from registry.data import CertificateStatisticsData, CountData
from registry.models import Certificate, CertificateStatus
from registry.selectors.filtering import certificates_filtered


def certificate_statistics(
    *,
    occupation: str | None = None,
    level: str | None = None,
    governorate: str | None = None,
    status: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    governorate_codes: Iterable[str] | None = None,
) -> CertificateStatisticsData:
    """Counts by status, occupation, level, governorate, gender and month of issue.

    `governorate_codes`: a directorate's staff count their governorates only (None:
    every governorate); asking for another governorate is refused (Forbidden).
    Cached until the registry next changes (registry.cache.statistics_cache_key)."""
    codes = None if governorate_codes is None else sorted(set(governorate_codes))
    if codes is not None and governorate and governorate not in codes:
        raise Forbidden(
            _("These figures belong to another directorate."), code="other_directorate"
        )
    filters: dict[str, Any] = {
        name: value
        for name, value in (
            ("occupation", occupation),
            ("level", level),
            ("governorate", governorate),
            ("status", status),
            ("issued_from", issued_from),
            ("issued_to", issued_to),
        )
        if value
    }
    if codes is not None:
        filters["governorate_codes"] = codes
    key = statistics_cache_key(filters)
    answer = cache.get(key)
    if not isinstance(answer, CertificateStatisticsData):
        qs = certificates_filtered(
            occupation=occupation,
            level=level,
            governorate=governorate,
            status=status,
            issued_from=issued_from,
            issued_to=issued_to,
        )
        if codes is not None:
            qs = qs.filter(governorate_code__in=codes)
        answer = _statistics(qs)
        cache.set(key, answer, STATS_TTL_S)
    return answer


def _statistics(qs: QuerySet[Certificate]) -> CertificateStatisticsData:
    def grouped(field: str) -> tuple[CountData, ...]:
        rows = qs.values(field).annotate(count=Count("id")).order_by(field)
        return tuple(CountData(key=row[field], count=row["count"]) for row in rows)

    months = (
        qs.exclude(issue_date=None)
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return CertificateStatisticsData(
        total=qs.count(),
        by_status=grouped("status"),
        by_occupation=grouped("occupation__code"),
        by_level=grouped("skill_level__code"),
        by_governorate=grouped("governorate_code"),
        by_gender=grouped("gender"),
        by_month=tuple(
            CountData(key=row["month"].strftime("%Y-%m"), count=row["count"])
            for row in months
        ),
    )


# --- Report facts (lms.reports contract, see lms/reports/README.md) -----------------


def _certificate_facts(
    qs: QuerySet[Certificate], *, metric: str, when: str
) -> Iterable[Any]:
    """One metric grouped in the database by month and the holder's attributes."""
    return fact_rows(
        qs.annotate(
            metric=Value(metric, output_field=CharField()),
            month=TruncMonth(when, output_field=DateField()),
            occupation_code=F("occupation__code"),
            level_code=F("skill_level__code"),
            has_disability=user_has_disability_expression(via="holder"),
            course_id=Value(None, output_field=BigIntegerField()),
        ),
        value=Count("id"),
    )


def report_facts(*, since: dt.date | None = None) -> Iterator[Any]:
    """The registry's figures for lms.reports, one GROUP BY query per metric.

    certificates_issued: every certificate ever issued (revoked ones included: they
    were issued) by month of issue; certificates_revoked: by month of revocation.
    Pending certificates count in neither. Not per course (course_id None).
    """
    issued = Certificate.objects.filter(
        status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED],
        issue_date__isnull=False,
    )
    revoked = Certificate.objects.filter(
        status=CertificateStatus.REVOKED, revoked_at__isnull=False
    )
    if since is not None:
        since = since.replace(day=1)
        issued = issued.filter(issue_date__gte=since)
        revoked = revoked.filter(
            revoked_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        )
    yield from _certificate_facts(
        issued, metric="certificates_issued", when="issue_date"
    )
    yield from _certificate_facts(
        revoked, metric="certificates_revoked", when="revoked_at"
    )
