"""Reads of the day of the test: who may run a session (its assessors, its
directorate's staff), the sessions a person runs, a session's roster with where each
candidate's two parts stand, and the day as the candidate sees it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors as assessments_selectors
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound
from skilltests.data import SessionData
from skilltests.data_day import CandidateDay, DayRoster, DayRow
from skilltests.models import (
    ACTIVE_BOOKING,
    SEAT_HOLDING,
    Application,
    Booking,
    BookingStatus,
    EventAction,
    SessionStatus,
    TestSession,
)
from skilltests.selectors.applications import scope_check
from skilltests.selectors.build import person_name, session_data


def _sessions() -> QuerySet[TestSession]:
    return TestSession.objects.select_related(
        "centre", "workshop", "occupation", "skill_level"
    )


def session_ends_at(session: TestSession) -> dt.datetime:
    return session.starts_at + dt.timedelta(minutes=session.duration_min)


def check_in_opens_at(session: TestSession) -> dt.datetime:
    return session.starts_at - dt.timedelta(
        minutes=settings.SKILLTESTS_CHECK_IN_OPENS_MIN
    )


def session_for_day(session_id: int) -> TestSession:
    session = _sessions().filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("There is no such test session."), code="session_not_found")
    return session


def session_access(session: TestSession, viewer_id: int) -> bool:
    """Whether the viewer runs the session: True for one of its assessors, False for
    its directorate's staff (head office: all), who follow but do not score.
    Forbidden for everyone else, with the reason."""
    viewer = get_user_model().objects.filter(pk=viewer_id, is_active=True).first()
    if viewer is None:
        raise Forbidden(_("Sign in again."), code="not_signed_in")
    if user_has_role(viewer, Role.ASSESSOR):
        if session.assessors.filter(pk=viewer.pk).exists():
            return True
        if not user_has_role(viewer, Role.MINISTRY_STAFF):
            raise Forbidden(
                _(
                    "You are not an assessor of this session: only its own assessors "
                    "run it."
                ),
                code="not_session_assessor",
            )
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        scope_check(staff_scope(user_id=viewer.pk), session.centre.governorate_code)
        return False
    raise Forbidden(
        _("Only the session's assessors and its directorate's staff run it."),
        code="not_session_assessor",
    )


def day_sessions_for(
    *, viewer_id: int, now: dt.datetime | None = None
) -> tuple[list[SessionData], list[SessionData]]:
    """(today's, the coming week's) published sessions the viewer runs: an assessor's
    own; for staff, their directorate's."""
    now = timezone.localtime(now or timezone.now())
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = day_start + dt.timedelta(days=1)
    viewer = get_user_model().objects.get(pk=viewer_id)
    qs = _sessions().filter(
        status=SessionStatus.PUBLISHED,
        starts_at__gte=day_start,
        starts_at__lt=day_start + dt.timedelta(days=8),
    )
    mine = Q(assessors=viewer)
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        try:
            scope = staff_scope(user_id=viewer.pk)
        except Forbidden:
            scope = None
        if scope is not None and scope.head_office:
            mine = Q(pk__isnull=False)
        elif scope is not None:
            mine |= Q(centre__governorate_code__in=scope.governorate_codes)
    elif not user_has_role(viewer, Role.ASSESSOR):
        return [], []
    sessions = [
        session_data(s) for s in qs.filter(mine).distinct().order_by("starts_at", "pk")
    ]
    today = [s for s in sessions if s.starts_at < tomorrow]
    coming = [s for s in sessions if s.starts_at >= tomorrow]
    return today, coming


def _row(
    booking: Booking,
    *,
    attempts: dict,
    practicals: dict,
    started: bool,
    open_: bool,
    assessor: bool,
) -> DayRow:
    application = booking.application
    return DayRow(
        reference=application.reference,
        applicant_name=person_name(application.applicant),
        national_id=application.applicant.national_id or "",
        status=booking.status,
        status_label=str(BookingStatus(booking.status).label),
        checked_in_at=booking.checked_in_at,
        theory=attempts.get(booking.attempt_id or 0),
        practical=practicals.get(booking.practical_id or 0),
        may_mark_no_show=started and booking.status == BookingStatus.BOOKED,
        may_score=assessor and open_ and booking.status == BookingStatus.CHECKED_IN,
    )


def roster_get(
    *, session_id: int, viewer_id: int, now: dt.datetime | None = None
) -> DayRoster:
    """The session's candidates (those holding a seat: expected, checked in, absent)
    in the order they booked, for its assessors and its directorate's staff."""
    now = now or timezone.now()
    session = session_for_day(session_id)
    assessor = session_access(session, viewer_id)
    bookings = list(
        Booking.objects.filter(session=session, status__in=SEAT_HOLDING)
        .select_related("application__applicant")
        .order_by("booked_at", "pk")
    )
    attempts, practicals = assessments_selectors.parts_progress(
        attempt_ids=[b.attempt_id for b in bookings if b.attempt_id],
        practical_ids=[b.practical_id for b in bookings if b.practical_id],
    )
    published = session.status == SessionStatus.PUBLISHED
    started = published and now >= session.starts_at
    over = now > session_ends_at(session)
    open_ = published and check_in_opens_at(session) <= now and not over
    return DayRoster(
        session=session_data(session, with_assessors=True),
        rows=tuple(
            _row(
                b,
                attempts=attempts,
                practicals=practicals,
                started=started,
                open_=open_,
                assessor=assessor,
            )
            for b in bookings
        ),
        check_in_open=open_,
        started=started,
        over=over,
        viewer_is_assessor=assessor,
    )


def _result_percent(application: Application) -> Decimal | None:
    event = application.events.filter(action=EventAction.RESULT).order_by("-at").first()
    if event is None or "percent" not in event.data:
        return None
    return Decimal(event.data["percent"])


def candidate_day(
    *, reference: str, applicant_id: int, now: dt.datetime | None = None
) -> CandidateDay | None:
    """The day as the candidate sees it (None before they are checked in): the
    theory part to start or resume on the centre's tablet, both parts, the result."""
    now = now or timezone.now()
    application = Application.objects.filter(
        reference=reference.upper(), applicant_id=applicant_id
    ).first()
    if application is None:
        return None
    booking = (
        Booking.objects.filter(
            application_id=application.pk, checked_in_at__isnull=False
        )
        .select_related("session")
        .order_by("-checked_in_at")
        .first()
    )
    if booking is None:
        return None
    attempts, practicals = assessments_selectors.parts_progress(
        attempt_ids=[booking.attempt_id] if booking.attempt_id else [],
        practical_ids=[booking.practical_id] if booking.practical_id else [],
    )
    theory = attempts.get(booking.attempt_id or 0)
    session = booking.session
    may_start = (
        booking.status in ACTIVE_BOOKING
        and session.status == SessionStatus.PUBLISHED
        and now <= session_ends_at(session)
        and (theory is None or theory.status == "in_progress")
    )
    return CandidateDay(
        checked_in_at=booking.checked_in_at,
        may_start_theory=may_start,
        theory=theory,
        practical=practicals.get(booking.practical_id or 0),
        result_percent=_result_percent(application),
        certificate_serial=application.certificate_serial,
    )
