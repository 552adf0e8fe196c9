"""Writes of the reports: refreshing the summary from every registered fact source."""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from lms.reports.facts import fact_sources, iter_facts
from lms.reports.models import IssueWaitFact, ReportFact, ReportRefresh

BATCH = 5000
# Two refreshes at once (the sweep's and a staff member's) would each delete what the
# other had not yet committed and insert their rows: every figure doubled. On
# PostgreSQL they queue on this lock; SQLite serialises writers anyway.
_LOCK_KEY = 0x5245504F  # "REPO"


def facts_refresh(*, since: dt.date | None = None) -> ReportRefresh:
    """Recompute the summary (all of it, or the months from `since` on).

    One transaction: a dashboard sees the old figures or the new ones, never a mix.
    Sources aggregate in their own database queries; only their counted rows pass here.
    """
    if since is not None:
        since = since.replace(day=1)
    started = timezone.now()
    errors: list[str] = []
    total = 0
    owners: dict[str, str] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        stale = ReportFact.objects.all()
        if since is not None:
            stale = stale.filter(month__gte=since)
        stale.delete()
        for source in fact_sources():
            facts = iter_facts(source, since=since, errors=errors, owners=owners)
            while batch := list(islice(facts, BATCH)):
                ReportFact.objects.bulk_create(
                    ReportFact(**fact.__dict__) for fact in batch
                )
                total += len(batch)
        total += _waits_refresh(since)
        refresh = ReportRefresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            since=since,
            rows=total,
            errors=errors[:100],
        )
    return refresh


def _waits_refresh(since: dt.date | None) -> int:
    """The registry's issue waits (the workload page's percentiles), same months."""
    from registry.selectors import issue_wait_histogram

    stale = IssueWaitFact.objects.all()
    if since is not None:
        stale = stale.filter(month__gte=since)
    stale.delete()
    rows = issue_wait_histogram(since=since)
    total = 0
    while batch := list(islice(rows, BATCH)):
        IssueWaitFact.objects.bulk_create(
            IssueWaitFact(
                month=r.month,
                governorate_code=r.governorate_code,
                days=r.days,
                count=r.certificates,
            )
            for r in batch
        )
        total += len(batch)
    return total
