"""The day of the test (issue #21 item 4): check-in at the session by the slip's QR
or the national ID, no-shows after the start, and the two parts the candidate sits
in assessments, admitted by this app once checked in (`admitted_by`), so the
engine's course rule does not apply to a worker who never took a course.

Who runs a session is `selectors.roster.session_access` (its assessors; its
directorate's staff check in and mark absences but do not score). Every change
locks the application first (as bookings do), then the booking; each is an event
and a notice (`history`)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors as assessments_selectors
from assessments import services as assessments_services
from lms.accounts.national_id import normalize_national_id
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from skilltests.models import (
    ACTIVE_BOOKING,
    Application,
    ApplicationState,
    Booking,
    BookingStatus,
    EventAction,
    SessionStatus,
    TestSession,
)
from skilltests.selectors.roster import (
    check_in_opens_at,
    session_access,
    session_ends_at,
    session_for_day,
)
from skilltests.services.history import record, tell_applicant, when

_TOKEN = re.compile(r"(?:/slips/)?([A-Za-z0-9_-]{16,64})/?$")


def _admission(booking: Booking) -> str:
    return f"skilltests:booking:{booking.pk}"


def _running(session: TestSession, now: dt.datetime) -> None:
    """Check-in is open: from SKILLTESTS_CHECK_IN_OPENS_MIN before the start to
    the session's end, in a session not cancelled."""
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(
            _("This session is cancelled: nobody is checked in to it."),
            code="session_cancelled",
        )
    if now < check_in_opens_at(session):
        raise Conflict(
            _("Check-in opens at %(time)s, before the session of %(start)s.")
            % {
                "time": timezone.localtime(check_in_opens_at(session)).strftime(
                    "%H:%M"
                ),
                "start": when(session),
            },
            code="check_in_not_open",
        )
    if now > session_ends_at(session):
        raise Conflict(
            _("This session is over: check-in closed at its end."),
            code="session_over",
        )


def _elsewhere(booking: Booking, session: TestSession) -> None:
    """The booking is for another session: at another centre (the candidate came
    to the wrong place) or at another time here."""
    other = booking.session
    values = {"centre": other.centre.name, "start": when(other)}
    if other.centre_id != session.centre_id:
        raise Conflict(
            _(
                "Wrong centre: this appointment is at %(centre)s on %(start)s, not "
                "here. Send the candidate there."
            )
            % values,
            code="wrong_centre",
        )
    raise Conflict(
        _("This appointment is for another session here: %(start)s.") % values,
        code="other_session",
    )


def _locked_booking(booking_id: int) -> tuple[Application, Booking]:
    """The application's row, then its booking's, locked (the bookings' order)."""
    application_id = Booking.objects.values_list("application_id", flat=True).get(
        pk=booking_id
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level", "applicant")
        .get(pk=application_id)
    )
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__centre", "checked_in_by")
        .get(pk=booking_id)
    )
    return application, booking


def _check_in(
    booking_id: int, session: TestSession, viewer_id: int, now: dt.datetime
) -> Application:
    application, booking = _locked_booking(booking_id)
    if booking.session_id != session.pk:
        _elsewhere(booking, session)
    if booking.status == BookingStatus.CHECKED_IN:
        assert booking.checked_in_at is not None
        raise Conflict(
            _("%(name)s is already checked in (at %(time)s).")
            % {
                "name": application.applicant.display_name,
                "time": timezone.localtime(booking.checked_in_at).strftime("%H:%M"),
            },
            code="already_checked_in",
        )
    if booking.status == BookingStatus.NO_SHOW:
        raise Conflict(
            _("This candidate was marked absent; they may apply again later."),
            code="marked_no_show",
        )
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(
            _("This slip is not valid: %(status)s.")
            % {"status": BookingStatus(booking.status).label},
            code="slip_not_valid",
        )
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.checked_in_by_id = viewer_id
    booking.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    record(
        application,
        EventAction.CHECKED_IN,
        before=application.state,
        actor_id=viewer_id,
        data={"session_id": session.pk},
    )
    tell_applicant(application, EventAction.CHECKED_IN, session=session)
    return application


def slip_token(text: str) -> str:
    """The booking token from what a scanner typed: the QR's whole address or the
    token alone; Invalid otherwise."""
    found = _TOKEN.search(text.strip())
    if found is None:
        raise Invalid(
            _("Scan the slip's QR code, or type its address."), code="slip_unreadable"
        )
    return found.group(1)


@transaction.atomic
def check_in_by_slip(
    *, session_id: int, slip: str, viewer_id: int, now: dt.datetime | None = None
) -> str:
    """Check in the candidate whose slip was scanned; the application's reference.
    Refusals: Forbidden `not_session_assessor`, `other_directorate`; Conflict
    `session_cancelled`, `check_in_not_open`, `session_over`, `wrong_centre`,
    `other_session`, `already_checked_in`, `marked_no_show`, `slip_not_valid`;
    NotFound `slip_not_found`."""
    now = now or timezone.now()
    session = session_for_day(session_id)
    session_access(session, viewer_id)
    _running(session, now)
    booking_id = (
        Booking.objects.filter(token=slip_token(slip))
        .values_list("pk", flat=True)
        .first()
    )
    if booking_id is None:
        raise NotFound(_("This slip is not known here."), code="slip_not_found")
    return _check_in(booking_id, session, viewer_id, now).reference


def _national_id(text: str) -> str:
    value = normalize_national_id(text)
    if not re.fullmatch(r"\d{14}", value):
        raise Invalid(
            _("Type the 14 digits of the national ID card."),
            code="national_id",
            fields={"national_id": [_("Type the 14 digits of the national ID card.")]},
        )
    return value


@transaction.atomic
def check_in_by_national_id(
    *, session_id: int, national_id: str, viewer_id: int, now: dt.datetime | None = None
) -> str:
    """Check in the candidate by the national ID on their card (typed, POSTed,
    never in an address); refusals as `check_in_by_slip`, and Conflict
    `not_on_roster` when the card's holder has no seat in this session."""
    now = now or timezone.now()
    session = session_for_day(session_id)
    session_access(session, viewer_id)
    _running(session, now)
    value = _national_id(national_id)
    bookings = Booking.objects.filter(
        application__applicant__national_id=value
    ).order_by("-booked_at", "-pk")
    here = bookings.filter(session=session).exclude(
        status__in=(BookingStatus.MOVED, BookingStatus.CANCELLED)
    )
    booking_id = here.values_list("pk", flat=True).first()
    if booking_id is None:
        elsewhere = (
            bookings.filter(status__in=ACTIVE_BOOKING)
            .select_related("session__centre")
            .first()
        )
        if elsewhere is not None:
            _elsewhere(elsewhere, session)
        raise Conflict(
            _("Nobody with this national ID has a seat in this session."),
            code="not_on_roster",
        )
    return _check_in(booking_id, session, viewer_id, now).reference


def _roster_booking(session: TestSession, reference: str) -> int:
    booking_id = (
        Booking.objects.filter(
            session=session,
            application__reference=reference.upper(),
            status__in=(*ACTIVE_BOOKING, BookingStatus.NO_SHOW),
        )
        .values_list("pk", flat=True)
        .first()
    )
    if booking_id is None:
        raise Conflict(
            _("This candidate is not on the session's roster."),
            code="not_on_roster",
        )
    return booking_id


@transaction.atomic
def no_show_mark(
    *, session_id: int, reference: str, viewer_id: int, now: dt.datetime | None = None
) -> str:
    """Record that a booked candidate did not come (after the session started):
    the application is closed as a no-show, and they may apply again after
    SKILLTESTS_NO_SHOW_REAPPLY_DAYS. Refusals: Forbidden as check-in; Conflict
    `session_cancelled`, `session_not_started`, `not_on_roster`,
    `already_checked_in`, `already_no_show`."""
    now = now or timezone.now()
    session = session_for_day(session_id)
    session_access(session, viewer_id)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(_("This session is cancelled."), code="session_cancelled")
    if now < session.starts_at:
        raise Conflict(
            _("A candidate is marked absent only once the session has started."),
            code="session_not_started",
        )
    application, booking = _locked_booking(_roster_booking(session, reference))
    if booking.status == BookingStatus.CHECKED_IN:
        raise Conflict(
            _("This candidate is checked in: they came."), code="already_checked_in"
        )
    if booking.status == BookingStatus.NO_SHOW:
        raise Conflict(
            _("This candidate is already marked absent."), code="already_no_show"
        )
    booking.status = BookingStatus.NO_SHOW
    booking.ended_at = now
    booking.save(update_fields=["status", "ended_at"])
    before = application.state
    application.state = ApplicationState.NO_SHOW
    application.reapply_after = timezone.localdate(now) + dt.timedelta(
        days=settings.SKILLTESTS_NO_SHOW_REAPPLY_DAYS
    )
    application.save(update_fields=["state", "reapply_after", "updated_at"])
    record(
        application,
        EventAction.NO_SHOW,
        before=before,
        actor_id=viewer_id,
        data={"session_id": session.pk},
    )
    tell_applicant(application, EventAction.NO_SHOW, session=session)
    return application.reference


@transaction.atomic
def theory_start(
    *, reference: str, applicant_id: int, now: dt.datetime | None = None
) -> int:
    """Start (or resume) the theory part on the centre's tablet: the candidate,
    checked in, while the session runs; the attempt's id (the exam engine keeps the
    time on the server). Refusals: Conflict `not_checked_in`, `session_over`,
    `no_exam`, and the engine's (`attempts_used`, `exam_passed` ...)."""
    now = now or timezone.now()
    booking_id = (
        Booking.objects.filter(
            application__reference=reference.upper(),
            application__applicant_id=applicant_id,
            status__in=ACTIVE_BOOKING,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if booking_id is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    application, booking = _locked_booking(booking_id)
    if booking.status != BookingStatus.CHECKED_IN:
        raise Conflict(
            _("The theory part starts once you are checked in at the centre."),
            code="not_checked_in",
        )
    session = booking.session
    if session.status == SessionStatus.CANCELLED or now > session_ends_at(session):
        raise Conflict(
            _("This session is over: the theory part can no longer start."),
            code="session_over",
        )
    exam = assessments_selectors.exam_for_level(
        occupation_code=application.occupation.code,
        level_code=application.skill_level.code,
    )
    if exam is None:
        raise Conflict(
            _("No theory exam is set for this occupation and level yet."),
            code="no_exam",
        )
    attempt, _created = assessments_services.attempt_start(
        user_id=applicant_id,
        blueprint_id=exam.id,
        now=now,
        admitted_by=_admission(booking),
    )
    if booking.attempt_id != attempt.id:
        booking.attempt_id = attempt.id
        booking.save(update_fields=["attempt_id"])
    return attempt.id


@transaction.atomic
def practical_open(*, session_id: int, reference: str, assessor_id: int) -> int:
    """Open (or return) the practical part of a checked-in candidate for one of the
    session's assessors; the practical test's id (scored on the rubric, with
    photos, in assessments). Refusals: Forbidden `not_session_assessor` (staff
    follow, assessors score), `other_directorate`; Conflict `session_cancelled`,
    `not_on_roster`, `not_checked_in`, `no_rubric`."""
    session = session_for_day(session_id)
    if not session_access(session, assessor_id):
        raise Forbidden(
            _("Only the session's assessors score its candidates."),
            code="not_session_assessor",
        )
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(_("This session is cancelled."), code="session_cancelled")
    application, booking = _locked_booking(_roster_booking(session, reference))
    if booking.status != BookingStatus.CHECKED_IN:
        raise Conflict(
            _("Check the candidate in before scoring the practical part."),
            code="not_checked_in",
        )
    if booking.practical_id is not None:
        return booking.practical_id
    rubric = assessments_selectors.rubric_for_level(
        occupation_code=application.occupation.code,
        level_code=application.skill_level.code,
    )
    if rubric is None:
        raise Conflict(
            _("No practical rubric is set for this occupation and level yet."),
            code="no_rubric",
        )
    practical = assessments_services.practical_assessment_create(
        rubric_id=rubric.id,
        trainee_id=application.applicant_id,
        assessor_id=assessor_id,
        admitted_by=_admission(booking),
    )
    booking.practical_id = practical.id
    booking.save(update_fields=["practical_id"])
    return practical.id
