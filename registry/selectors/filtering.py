"""The registry list's filters as a query: for the selectors only (never handed out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet

from registry.converters import certificate_data
from registry.data import CertificatePageData
from registry.models import Certificate, Occupation, SkillLevel

MAX_KEYSET_PAGE = 1000


def certificates_filtered(
    *,
    occupation: str | None = None,
    level: str | None = None,
    governorate: str | None = None,
    status: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    governorate_codes: Sequence[str] | None = None,
) -> QuerySet[Certificate]:
    """The registry list with the API's filters (each one uses an index);
    `governorate_codes` limits it to a directorate's governorates (None: all).

    Occupation and level codes are resolved to ids first: filtering through the join
    hides the value from PostgreSQL's planner, which then guessed a few hundred rows
    for tens of thousands and sorted them all for every page (130 ms at a million
    rows, growing with the registry; by id it walks the primary key: ~1 ms)."""
    qs = Certificate.objects.select_related("occupation", "skill_level")
    if occupation:
        occupation_id = (
            Occupation.objects.filter(code=occupation)
            .values_list("pk", flat=True)
            .first()
        )
        qs = qs.filter(occupation_id=occupation_id) if occupation_id else qs.none()
    if level:
        level_id = (
            SkillLevel.objects.filter(code=level).values_list("pk", flat=True).first()
        )
        qs = qs.filter(skill_level_id=level_id) if level_id else qs.none()
    if governorate:
        qs = qs.filter(governorate_code=governorate)
    if governorate_codes is not None:
        qs = qs.filter(governorate_code__in=list(governorate_codes))
    if status:
        qs = qs.filter(status=status)
    if issued_from:
        qs = qs.filter(issue_date__gte=issued_from)
    if issued_to:
        qs = qs.filter(issue_date__lte=issued_to)
    return qs


def keyset_page(
    qs: QuerySet[Certificate],
    *,
    before_id: int | None,
    after_id: int | None,
    size: int,
) -> CertificatePageData:
    """One page of `qs`, newest first, by keyset on the primary key (constant time
    at any depth): older than `before_id`, or the page just newer than `after_id`;
    the first page without either."""
    size = max(1, min(size, MAX_KEYSET_PAGE))
    if after_id is not None:
        rows = list(qs.filter(id__gt=after_id).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        more_older = True
    else:
        if before_id is not None:
            qs = qs.filter(id__lt=before_id)
        rows = list(qs.order_by("-id")[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = before_id is not None
    return CertificatePageData(
        certificates=tuple(certificate_data(c) for c in rows),
        next_before_id=rows[-1].pk if rows and more_older else None,
        previous_after_id=rows[0].pk if rows and more_newer else None,
    )
