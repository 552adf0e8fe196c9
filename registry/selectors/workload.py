"""The directorates' workload: what waits and for how long, how fast it is issued.

Computed in the database: the pending queue by age in one GROUP BY (the pending
certificates are few, found through the `(status, issue_date)` index), and the days
from a certificate's creation (the passed test handed over) to its issue as the
median and 90th percentile per directorate, with PostgreSQL's `percentile_cont`; on
other databases the same continuous percentiles from window functions (row numbers
per directorate), read back two rows per percentile. A certificate belongs to the
directorate of its `governorate_code`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from registry.data import DirectorateWorkloadData, IssueWaitRow, WorkloadData
from registry.models import Certificate, CertificateSource, CertificateStatus

# pending for under 7 days, 7–30, 30–90, 90 and more
WORKLOAD_AGE_BUCKETS = (7, 30, 90)
FRACTIONS = (0.5, 0.9)
_DAY_S = 86400.0


class _PercentileCont(Aggregate):
    """PostgreSQL: percentile_cont(f) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float) -> None:
        super().__init__(expression, fraction=repr(float(fraction)))


class _EpochDays(Func):
    """PostgreSQL: a duration in days (float)."""

    output_field = FloatField()
    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)"


class _WholeDaysWaited(Func):
    """Whole days from creation to approval (truncated; waits are never negative)."""

    output_field = IntegerField()
    template = (
        "CAST(FLOOR(EXTRACT(EPOCH FROM (approved_at - created_at)) / 86400) AS integer)"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return (
            "CAST(julianday(approved_at) - julianday(created_at) AS INTEGER)",
            [],
        )


def _waited() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("approved_at") - F("created_at"), output_field=DurationField()
    )


def _issued_in(
    issued_from: dt.date, issued_to: dt.date, governorate_codes: Iterable[str] | None
) -> QuerySet[Certificate]:
    qs = Certificate.objects.filter(
        status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED],
        issue_date__gte=issued_from,
        issue_date__lte=issued_to,
        approved_at__isnull=False,
    ).exclude(source=CertificateSource.PAPER_IMPORT)
    if governorate_codes is not None:
        qs = qs.filter(governorate_code__in=list(governorate_codes))
    return qs


def _pending_by_age(
    governorate_codes: Iterable[str] | None, now: dt.datetime
) -> dict[str, tuple[int, ...]]:
    qs = Certificate.objects.filter(status=CertificateStatus.PENDING)
    if governorate_codes is not None:
        qs = qs.filter(governorate_code__in=list(governorate_codes))
    edges = [now - dt.timedelta(days=d) for d in WORKLOAD_AGE_BUCKETS]
    buckets = {"b0": Count("id", filter=Q(created_at__gt=edges[0]))}
    for i in range(1, len(edges)):
        buckets[f"b{i}"] = Count(
            "id", filter=Q(created_at__lte=edges[i - 1], created_at__gt=edges[i])
        )
    buckets[f"b{len(edges)}"] = Count("id", filter=Q(created_at__lte=edges[-1]))
    rows = qs.values("governorate_code").annotate(**buckets).order_by()
    return {
        row["governorate_code"]: tuple(row[f"b{i}"] for i in range(len(edges) + 1))
        for row in rows
    }


def _percentiles_postgres(qs: QuerySet[Certificate]) -> dict[str, tuple]:
    days = _EpochDays(_waited())
    rows = (
        qs.values("governorate_code")
        .annotate(
            n=Count("id"),
            **{f"p{i}": _PercentileCont(days, f) for i, f in enumerate(FRACTIONS)},
        )
        .order_by()
    )
    return {
        row["governorate_code"]: (row["n"],)
        + tuple(row[f"p{i}"] for i in range(len(FRACTIONS)))
        for row in rows
    }


def _positions(n: int, fraction: float) -> tuple[int, int, float]:
    """1-based rows around the continuous percentile of n sorted values."""
    at = 1 + fraction * (n - 1)
    return math.floor(at), math.ceil(at), at - math.floor(at)


def _percentiles_window(qs: QuerySet[Certificate]) -> dict[str, tuple]:
    """The same percentiles without percentile_cont: per directorate, the rows at
    the percentiles' positions (row_number over the sorted waits), read back."""
    counts = dict(
        qs.values("governorate_code")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("governorate_code", "n")
    )
    wanted = {
        (code, row)
        for code, n in counts.items()
        for f in FRACTIONS
        for row in _positions(n, f)[:2]
    }
    rows_wanted = sorted({row for _code, row in wanted})
    if not rows_wanted:
        return {}
    ranked = qs.annotate(
        waited=_waited(),
        rn=Window(
            RowNumber(),
            partition_by=[F("governorate_code")],
            order_by=[_waited().asc(), F("id").asc()],
        ),
    ).filter(rn__in=rows_wanted)
    values: dict[tuple[str, int], float] = {}
    for code, rn, waited in ranked.values_list("governorate_code", "rn", "waited"):
        if (code, rn) in wanted:
            values[(code, rn)] = waited.total_seconds() / _DAY_S
    out: dict[str, tuple] = {}
    for code, n in counts.items():
        shares = []
        for f in FRACTIONS:
            lo, hi, part = _positions(n, f)
            shares.append(
                values[(code, lo)] + part * (values[(code, hi)] - values[(code, lo)])
            )
        out[code] = (n, *shares)
    return out


def directorate_workload(
    *,
    issued_from: dt.date,
    issued_to: dt.date,
    governorate_codes: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    percentiles: str = "auto",
    speeds: bool = True,
) -> WorkloadData:
    """Per directorate (governorate): pending by age now, and the median and 90th
    percentile of days from creation to issue for certificates issued in
    [issued_from, issued_to]. `governorate_codes` None: every directorate.

    `percentiles` "auto" (percentile_cont on PostgreSQL), or "window" (the portable
    path, also used to prove the two agree). `speeds` False: the queue only (pages
    read the speeds from the reports' summary, `issue_wait_histogram`: over 60
    months the exact percentiles read every issued certificate, seconds)."""
    now = now or timezone.now()
    codes = None if governorate_codes is None else sorted(set(governorate_codes))
    pending = _pending_by_age(codes, now)
    issued = _issued_in(issued_from, issued_to, codes)
    found: dict[str, tuple] = {}
    if speeds and percentiles == "auto" and connection.vendor == "postgresql":
        found = _percentiles_postgres(issued)
    elif speeds:
        found = _percentiles_window(issued)
    empty = (0,) * (len(WORKLOAD_AGE_BUCKETS) + 1)
    rows: dict[str, DirectorateWorkloadData] = {}
    for code in sorted(set(pending) | set(found)):
        n, *shares = found.get(code, (0, None, None))
        rows[code] = DirectorateWorkloadData(
            governorate_code=code,
            pending_by_age=pending.get(code, empty),
            issued=n,
            median_days=None if shares[0] is None else round(shares[0], 1),
            p90_days=None if shares[1] is None else round(shares[1], 1),
        )
    return WorkloadData(
        directorates=tuple(rows.values()),
        bucket_days=WORKLOAD_AGE_BUCKETS,
        issued_from=issued_from,
        issued_to=issued_to,
    )


def issue_wait_histogram(*, since: dt.date | None = None) -> Iterable[IssueWaitRow]:
    """Issued certificates by month of issue, governorate and whole days waited, one
    GROUP BY in the database (for the reports' summary: the workload page reads
    percentiles from it in milliseconds)."""
    qs = Certificate.objects.filter(
        status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED],
        issue_date__isnull=False,
        approved_at__isnull=False,
    ).exclude(source=CertificateSource.PAPER_IMPORT)
    if since is not None:
        qs = qs.filter(issue_date__gte=since.replace(day=1))
    rows = (
        qs.annotate(month=TruncMonth("issue_date"), days=_WholeDaysWaited())
        .values("month", "governorate_code", "days")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("month", "governorate_code", "days", "count")
    )
    for month, code, days, count in rows.iterator(chunk_size=10000):
        yield IssueWaitRow(month, code, max(int(days), 0), count)
