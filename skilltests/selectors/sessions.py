"""Reads of test sessions: what an accepted applicant may book, a directorate's
sessions and one session's roster, a centre's coming sessions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.roles import Role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import NotFound
from skilltests.data import RosterRow, SessionData, SessionPage
from skilltests.models import (
    ACTIVE_BOOKING,
    SEAT_HOLDING,
    Application,
    ApplicationState,
    Booking,
    BookingStatus,
    SessionStatus,
    TestSession,
)
from skilltests.selectors.applications import scope_check
from skilltests.selectors.build import person_name, session_data

PAGE_SIZE = 50


def booking_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Sessions starting at or before this moment take no more bookings."""
    now = now or timezone.now()
    return now + dt.timedelta(hours=settings.SKILLTESTS_BOOKING_CLOSES_H)


def _sessions() -> QuerySet[TestSession]:
    return TestSession.objects.select_related(
        "centre", "workshop", "occupation", "skill_level"
    )


def sessions_bookable(*, reference: str, applicant_id: int) -> list[SessionData]:
    """The published sessions the applicant's accepted (or booked) application may
    take a seat in: its occupation and level, in its governorate, still open for
    booking; full ones included (shown as full). The booked one is left out."""
    application = Application.objects.filter(
        reference=reference.upper(), applicant_id=applicant_id
    ).first()
    if application is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    if application.state not in (ApplicationState.ACCEPTED, ApplicationState.BOOKED):
        return []
    booked = Booking.objects.filter(
        application=application, status__in=ACTIVE_BOOKING
    ).values_list("session_id", flat=True)
    qs = (
        _sessions()
        .filter(
            status=SessionStatus.PUBLISHED,
            occupation_id=application.occupation_id,
            skill_level_id=application.skill_level_id,
            centre__governorate_code=application.governorate_code,
            centre__is_active=True,
            starts_at__gt=booking_cutoff(),
        )
        .exclude(pk__in=booked)
        .order_by("starts_at", "pk")
    )
    return [session_data(s) for s in qs[:100]]


def sessions_for_staff(
    *,
    staff_id: int,
    past: bool = False,
    centre_code: str = "",
    occupation_code: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
) -> SessionPage:
    """The directorate's sessions: coming ones soonest first, or past ones latest
    first; a centre of another directorate is Forbidden."""
    scope = staff_scope(user_id=staff_id)
    qs = _sessions()
    if not scope.head_office:
        qs = qs.filter(centre__governorate_code__in=scope.governorate_codes)
    if centre_code:
        qs = qs.filter(centre__code=centre_code)
    if occupation_code:
        qs = qs.filter(occupation__code=occupation_code)
    now = timezone.now()
    if past:
        qs = qs.filter(starts_at__lte=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(starts_at__gt=now).order_by("starts_at", "pk")
    page = max(1, page)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return SessionPage(
        sessions=tuple(session_data(s) for s in rows[:size]),
        page=page,
        has_next=len(rows) > size,
    )


def session_get_for_staff(
    *, session_id: int, staff_id: int
) -> tuple[SessionData, list[RosterRow]]:
    """A session with its assessors and its bookings (active first), for the staff
    of the centre's directorate; Forbidden `other_directorate` for others."""
    scope = staff_scope(user_id=staff_id)
    session = _sessions().prefetch_related("assessors").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("There is no such test session."), code="session_not_found")
    scope_check(scope, session.centre.governorate_code)
    bookings = (
        Booking.objects.filter(session=session)
        .select_related("application__applicant")
        .order_by("booked_at", "pk")
    )
    active = [b for b in bookings if b.status in ACTIVE_BOOKING]
    ended = [b for b in bookings if b.status not in ACTIVE_BOOKING]
    roster = [
        RosterRow(
            reference=b.application.reference,
            applicant_name=person_name(b.application.applicant),
            national_id=b.application.applicant.national_id or "",
            status=b.status,
            status_label=str(BookingStatus(b.status).label),
            booked_at=b.booked_at,
        )
        for b in [*active, *ended]
    ]
    return session_data(session, with_assessors=True), roster


def centre_sessions_upcoming(*, centre_code: str, limit: int = 20) -> list[SessionData]:
    """A centre's published sessions still open for booking (public: no names)."""
    qs = (
        _sessions()
        .filter(
            centre__code=centre_code,
            status=SessionStatus.PUBLISHED,
            starts_at__gt=booking_cutoff(),
        )
        .order_by("starts_at", "pk")
    )
    return [session_data(s) for s in qs[:limit]]


def session_seats_held(*, session_id: int) -> int:
    """Bookings holding a seat of the session: always its `seats_taken`."""
    return Booking.objects.filter(
        session_id=session_id, status__in=SEAT_HOLDING
    ).count()


def assessors_list() -> list[tuple[int, str]]:
    """Active accounts with the assessor role: (id, name), by name."""
    people = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ASSESSOR)
        .distinct()
    )
    return sorted(((p.pk, p.display_name) for p in people), key=lambda p: p[1])
