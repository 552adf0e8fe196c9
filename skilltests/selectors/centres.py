"""Reads of the test centres: the public directory, a centre's page, the occupations
tested where, and the centres a directorate may publish sessions in."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.kernel.errors import NotFound
from skilltests.data import CentreData, TradeData
from skilltests.geo import governorate_points, haversine_km
from skilltests.models import SessionStatus, TestCentre, Workshop
from skilltests.selectors.build import centre_data


def _active_workshops() -> Prefetch:
    return Prefetch(
        "workshops",
        queryset=Workshop.objects.filter(is_active=True).prefetch_related(
            "occupations"
        ),
    )


def _centres() -> QuerySet[TestCentre]:
    now = timezone.now()
    return (
        TestCentre.objects.filter(is_active=True)
        .prefetch_related(_active_workshops())
        .annotate(
            upcoming=Count(
                "sessions",
                filter=Q(
                    sessions__status=SessionStatus.PUBLISHED,
                    sessions__starts_at__gt=now,
                ),
            )
        )
    )


def centre_list(
    *,
    governorate_code: str = "",
    occupation_code: str = "",
    near_governorate: str = "",
    near: tuple[float, float] | None = None,
) -> list[CentreData]:
    """Active centres (those with a workshop testing the occupation, when given), by
    governorate; nearest first from `near` (latitude, longitude) or from the capital
    of `near_governorate`, each with its distance in km."""
    qs = _centres()
    if governorate_code:
        qs = qs.filter(governorate_code=governorate_code)
    if occupation_code:
        qs = qs.filter(
            pk__in=Workshop.objects.filter(
                is_active=True, occupations__code=occupation_code
            ).values("centre_id")
        )
    origin = near
    if origin is None and near_governorate:
        point = governorate_points().get(near_governorate)
        origin = (point.latitude, point.longitude) if point else None
    centres = []
    for centre in qs:
        distance = None
        if origin is not None:
            distance = round(
                haversine_km(
                    origin[0],
                    origin[1],
                    float(centre.latitude),
                    float(centre.longitude),
                ),
                1,
            )
        centres.append(
            centre_data(
                centre,
                upcoming_sessions=getattr(centre, "upcoming", 0),
                distance_km=distance,
            )
        )
    if origin is not None:
        centres.sort(key=lambda c: (c.distance_km, c.code))
    return centres


def centre_get(*, code: str) -> CentreData:
    centre = _centres().filter(code=code).first()
    if centre is None:
        raise NotFound(_("There is no such test centre."), code="centre_not_found")
    return centre_data(
        centre, with_workshops=True, upcoming_sessions=getattr(centre, "upcoming", 0)
    )


def centres_for_scope(*, scope: StaffScope) -> list[CentreData]:
    """The active centres a directorate may publish sessions in, with workshops."""
    qs = _centres()
    if not scope.head_office:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    return [centre_data(c, with_workshops=True) for c in qs]


def occupations_tested() -> list[TradeData]:
    """Every occupation some active workshop of an active centre tests, by code
    (one query: every filter form and the directory ask)."""
    rows = (
        Workshop.occupations.through.objects.filter(
            workshop__is_active=True, workshop__centre__is_active=True
        )
        .values_list("occupation__code", "occupation__title_ar", "occupation__title_en")
        .distinct()
        .order_by("occupation__code")
    )
    return [TradeData(code, ar, en) for code, ar, en in rows]


def governorates_testing(*, occupation_code: str) -> list[str]:
    """The governorates with an active centre whose workshop tests the occupation."""
    return sorted(
        set(
            Workshop.objects.filter(
                is_active=True,
                centre__is_active=True,
                occupations__code=occupation_code,
            ).values_list("centre__governorate_code", flat=True)
        )
    )
