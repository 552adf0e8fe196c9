"""Seats: an accepted applicant books one, moves it or gives it back within the
rules (settings SKILLTESTS_*), and a session is never overbooked.

A seat is taken by one conditional UPDATE of the session row
(`seats_taken = seats_taken + 1 WHERE seats_taken < seats AND ...`): PostgreSQL
re-checks the condition on the row's latest version once the row lock is granted, so
of fifty concurrent bookings for the last three seats exactly three match
(tests/skilltests/test_booking_concurrency.py). Locks are taken in one order — the
application row first, then session rows by id — so two moves in opposite
directions cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Conflict, Invalid, NotFound
from skilltests.data import ApplicationData
from skilltests.models import (
    Application,
    ApplicationState,
    Booking,
    BookingStatus,
    EventAction,
    SessionStatus,
    TestSession,
)
from skilltests.selectors import application_get_for_applicant, booking_cutoff
from skilltests.selectors.build import may_change_booking
from skilltests.services.history import record, tell_applicant


def _new_token() -> str:
    return secrets.token_urlsafe(16)


def _session(session_id: int) -> TestSession:
    session = (
        TestSession.objects.select_related(
            "centre", "workshop", "occupation", "skill_level"
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound(_("There is no such test session."), code="session_not_found")
    return session


def _matching(application: Application, session: TestSession) -> None:
    if (
        session.occupation_id != application.occupation_id
        or session.skill_level_id != application.skill_level_id
        or session.centre.governorate_code != application.governorate_code
    ):
        raise Invalid(
            _(
                "This session tests another occupation or level, or is in another "
                "governorate than your application: choose one from the list."
            ),
            code="session_mismatch",
        )


def _take_seat(session: TestSession, now: dt.datetime) -> None:
    """One seat more, if the session is published, still open for booking and has
    a seat left; else the refusal that says which."""
    taken = TestSession.objects.filter(
        pk=session.pk,
        status=SessionStatus.PUBLISHED,
        starts_at__gt=booking_cutoff(now),
        seats_taken__lt=F("seats"),
    ).update(seats_taken=F("seats_taken") + 1)
    if taken:
        return
    current = TestSession.objects.get(pk=session.pk)
    if current.status != SessionStatus.PUBLISHED:
        raise Conflict(_("This session was cancelled."), code="session_cancelled")
    if current.starts_at <= now:
        raise Conflict(_("This session is over."), code="session_past")
    if current.starts_at <= booking_cutoff(now):
        raise Conflict(
            _("Booking for this session closed %(hours)s hours before it starts.")
            % {"hours": settings.SKILLTESTS_BOOKING_CLOSES_H},
            code="booking_closed",
        )
    raise Conflict(_("This session is full: choose another one."), code="session_full")


def _free_seat(session_id: int) -> None:
    TestSession.objects.filter(pk=session_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _own_locked(reference: str, applicant_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .filter(reference=reference.upper(), applicant_id=applicant_id)
        .first()
    )
    if application is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    return application


def _active(application: Application) -> Booking:
    booking = (
        Booking.objects.select_related("session__centre")
        .filter(application=application, status=BookingStatus.BOOKED)
        .first()
    )
    if booking is None:
        raise Conflict(_("This application has no appointment."), code="not_booked")
    return booking


def _changeable(booking: Booking) -> None:
    if not may_change_booking(booking):
        raise Conflict(
            _(
                "The appointment can no longer be moved or cancelled: that closes "
                "%(hours)s hours before the test."
            )
            % {"hours": settings.SKILLTESTS_CHANGE_CLOSES_H},
            code="change_closed",
        )


def _book(application: Application, session: TestSession, now: dt.datetime) -> Booking:
    """The booking row; a session starting within the reminder's lead needs no
    reminder (the booking's own notice says the same)."""
    lead = dt.timedelta(hours=settings.SKILLTESTS_REMINDER_H)
    return Booking.objects.create(
        application=application,
        session=session,
        token=_new_token(),
        reminder_sent_at=now if session.starts_at <= now + lead else None,
    )


@transaction.atomic
def booking_create(
    *, reference: str, applicant_id: int, session_id: int
) -> ApplicationData:
    """Book a seat for an accepted application. Refusals: Conflict `not_accepted`,
    `already_booked`, `session_full`, `session_past`, `booking_closed`,
    `session_cancelled`; Invalid `session_mismatch`; NotFound."""
    application = _own_locked(reference, applicant_id)
    if application.state == ApplicationState.BOOKED:
        raise Conflict(
            _("You already have an appointment: move it instead."),
            code="already_booked",
        )
    if application.state != ApplicationState.ACCEPTED:
        raise Conflict(
            _("Only an accepted application can book a seat."), code="not_accepted"
        )
    session = _session(session_id)
    _matching(application, session)
    now = timezone.now()
    _take_seat(session, now)
    _book(application, session, now)
    application.state = ApplicationState.BOOKED
    application.save(update_fields=["state", "updated_at"])
    record(
        application,
        EventAction.BOOKED,
        before=ApplicationState.ACCEPTED,
        actor_id=applicant_id,
        data={"session": session.pk},
    )
    tell_applicant(application, EventAction.BOOKED, session=session)
    return application_get_for_applicant(reference=reference, applicant_id=applicant_id)


@transaction.atomic
def booking_reschedule(
    *, reference: str, applicant_id: int, session_id: int
) -> ApplicationData:
    """Move the appointment to another session (the old seat is given back, the
    slip's token changes). Refusals: Conflict `not_booked`, `change_closed`,
    `reschedules_used`, and those of a booking; Invalid `same_session`."""
    application = _own_locked(reference, applicant_id)
    if application.state != ApplicationState.BOOKED:
        raise Conflict(_("This application has no appointment."), code="not_booked")
    current = _active(application)
    _changeable(current)
    if application.reschedules >= settings.SKILLTESTS_MAX_RESCHEDULES:
        raise Conflict(
            _("An appointment can be moved at most %(n)s times.")
            % {"n": settings.SKILLTESTS_MAX_RESCHEDULES},
            code="reschedules_used",
        )
    if session_id == current.session_id:
        raise Invalid(_("That is your appointment already."), code="same_session")
    session = _session(session_id)
    _matching(application, session)
    now = timezone.now()
    if session.pk < current.session_id:  # session rows locked in id order
        _take_seat(session, now)
        _free_seat(current.session_id)
    else:
        _free_seat(current.session_id)
        _take_seat(session, now)  # a refusal rolls the freed seat back too
    current.status = BookingStatus.MOVED
    current.ended_at = now
    current.save(update_fields=["status", "ended_at"])
    _book(application, session, now)
    application.reschedules += 1
    application.save(update_fields=["reschedules", "updated_at"])
    record(
        application,
        EventAction.RESCHEDULED,
        before=ApplicationState.BOOKED,
        actor_id=applicant_id,
        data={"from_session": current.session_id, "session": session.pk},
    )
    tell_applicant(application, EventAction.RESCHEDULED, session=session)
    return application_get_for_applicant(reference=reference, applicant_id=applicant_id)


def booking_release(application: Application) -> int:
    """Give the (locked) application's seat back while it may still be changed;
    returns the session's id. For cancelling and withdrawing."""
    booking = _active(application)
    _changeable(booking)
    booking.status = BookingStatus.CANCELLED
    booking.ended_at = timezone.now()
    booking.save(update_fields=["status", "ended_at"])
    _free_seat(booking.session_id)
    return booking.session_id


@transaction.atomic
def booking_cancel(*, reference: str, applicant_id: int) -> ApplicationData:
    """Give the seat back; the application stays accepted (book again later).
    Refusals: Conflict `not_booked`, `change_closed`."""
    application = _own_locked(reference, applicant_id)
    if application.state != ApplicationState.BOOKED:
        raise Conflict(_("This application has no appointment."), code="not_booked")
    session_id = booking_release(application)
    application.state = ApplicationState.ACCEPTED
    application.save(update_fields=["state", "updated_at"])
    record(
        application,
        EventAction.BOOKING_CANCELLED,
        before=ApplicationState.BOOKED,
        actor_id=applicant_id,
        data={"session": session_id},
    )
    tell_applicant(application, EventAction.BOOKING_CANCELLED)
    return application_get_for_applicant(reference=reference, applicant_id=applicant_id)
