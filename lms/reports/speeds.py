"""Days from pass to issue per directorate, from the summary (IssueWaitFact).

The same continuous percentile as PostgreSQL's percentile_cont, over whole days
waited: the summary holds, per month and governorate, how many certificates waited
each number of days; one GROUP BY folds the months, and the two rows around each
percentile's position are found in the cumulative counts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from lms.reports.models import IssueWaitFact

FRACTIONS = (0.5, 0.9)


def _value_at(hist: list[tuple[int, int]], position: int) -> int:
    seen = 0
    for days, count in hist:
        seen += count
        if seen >= position:
            return days
    return hist[-1][0]


def percentile(hist: list[tuple[int, int]], fraction: float) -> float:
    """percentile_cont over the values `days` repeated `count` times (sorted)."""
    n = sum(count for _days, count in hist)
    at = 1 + fraction * (n - 1)
    lo, hi = math.floor(at), math.ceil(at)
    low = _value_at(hist, lo)
    return low + (at - lo) * (_value_at(hist, hi) - low)


def issue_speeds(
    *,
    issued_from: dt.date,
    issued_to: dt.date,
    governorate_codes: Iterable[str] | None = None,
) -> dict[str, tuple[int, float, float]]:
    """{governorate: (issued, median days, 90th-percentile days)} for certificates
    issued in the months from `issued_from` to `issued_to`."""
    qs = IssueWaitFact.objects.filter(
        month__gte=issued_from.replace(day=1), month__lte=issued_to
    )
    if governorate_codes is not None:
        qs = qs.filter(governorate_code__in=list(governorate_codes))
    rows = (
        qs.values("governorate_code", "days")
        .annotate(n=Sum("count"))
        .order_by("governorate_code", "days")
        .values_list("governorate_code", "days", "n")
    )
    hists: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, days, n in rows:
        hists[code].append((days, n))
    return {
        code: (
            sum(n for _d, n in hist),
            round(percentile(hist, FRACTIONS[0]), 1),
            round(percentile(hist, FRACTIONS[1]), 1),
        )
        for code, hist in hists.items()
    }
