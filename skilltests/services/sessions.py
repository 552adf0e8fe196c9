"""Test sessions: a directorate's staff publish them in their governorate's centres
(a workshop equipped for the occupation, no more seats than it has, assessors who
are free) and cancel them, which gives every booked applicant their seat back and
tells them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Conflict, Invalid, NotFound
from registry.selectors import occupation_get, skill_level_get
from skilltests.data import SessionData
from skilltests.models import (
    Application,
    ApplicationState,
    Booking,
    BookingStatus,
    EventAction,
    SessionStatus,
    TestCentre,
    TestSession,
    Workshop,
)
from skilltests.models.sessions import MAX_DURATION_MIN, MIN_DURATION_MIN
from skilltests.selectors.applications import scope_check
from skilltests.selectors.build import session_data
from skilltests.services.history import record, tell_applicant

MIN_REASON = 10


def _workshop(centre_code: str, workshop_code: str, scope: StaffScope) -> Workshop:
    centre = TestCentre.objects.filter(code=centre_code, is_active=True).first()
    if centre is None:
        raise Invalid(_("Choose a test centre."), code="unknown_centre")
    scope_check(scope, centre.governorate_code)
    workshop = (
        Workshop.objects.select_for_update()
        .filter(centre=centre, code=workshop_code, is_active=True)
        .first()
    )
    if workshop is None:
        raise Invalid(_("Choose a workshop of the centre."), code="unknown_workshop")
    return workshop


def _assessors(ids: Sequence[int]) -> list[Any]:
    people = list(get_user_model().objects.filter(pk__in=set(ids), is_active=True))
    if not people:
        raise Invalid(
            _("Name at least one assessor for the session."),
            code="assessor_required",
            fields={"assessors": [_("Choose at least one assessor.")]},
        )
    if len(people) != len(set(ids)) or not all(
        user_has_role(p, Role.ASSESSOR) for p in people
    ):
        raise Invalid(
            _("Only accounts with the assessor role can assess a session."),
            code="not_an_assessor",
            fields={"assessors": [_("Choose assessors from the list.")]},
        )
    return people


def _overlapping(starts_at: dt.datetime, ends_at: dt.datetime) -> list[TestSession]:
    """Published sessions that overlap [starts_at, ends_at) (sessions are at most
    MAX_DURATION_MIN long, so only those starting that much earlier can)."""
    earliest = starts_at - dt.timedelta(minutes=MAX_DURATION_MIN)
    candidates = TestSession.objects.filter(
        status=SessionStatus.PUBLISHED,
        starts_at__lt=ends_at,
        starts_at__gt=earliest,
    )
    return [
        s
        for s in candidates.prefetch_related("assessors")
        if s.starts_at + dt.timedelta(minutes=s.duration_min) > starts_at
    ]


@transaction.atomic
def session_publish(
    *,
    staff_id: int,
    centre_code: str,
    workshop_code: str,
    occupation_code: str,
    level_code: str,
    starts_at: dt.datetime,
    duration_min: int,
    seats: int,
    assessor_ids: Sequence[int],
) -> SessionData:
    """Publish a session (bookable at once). Refusals: Forbidden `not_staff`,
    `no_directorate`, `other_directorate`; Invalid `unknown_centre`,
    `unknown_workshop`, `workshop_not_equipped`, `too_many_seats`, `too_soon`,
    `duration`, `assessor_required`, `not_an_assessor`; Conflict `workshop_busy`,
    `assessor_busy`."""
    scope = staff_scope(user_id=staff_id)
    workshop = _workshop(centre_code, workshop_code, scope)  # locked: one at a time
    try:
        occupation = occupation_get(code=occupation_code)
        level = skill_level_get(code=level_code)
    except NotFound as exc:
        raise Invalid(exc.message, code=exc.code) from None
    if not workshop.occupations.filter(pk=occupation.id).exists():
        raise Invalid(
            _("This workshop is not equipped to test that occupation."),
            code="workshop_not_equipped",
        )
    if not 1 <= seats <= workshop.seats:
        raise Invalid(
            _("The workshop has %(n)s seats: offer 1 to %(n)s.")
            % {"n": workshop.seats},
            code="too_many_seats",
            fields={"seats": [_("Too many seats for the workshop.")]},
        )
    if not MIN_DURATION_MIN <= duration_min <= MAX_DURATION_MIN:
        raise Invalid(
            _("A session lasts from %(min)s to %(max)s minutes.")
            % {"min": MIN_DURATION_MIN, "max": MAX_DURATION_MIN},
            code="duration",
        )
    hours = settings.SKILLTESTS_BOOKING_CLOSES_H + 1
    if starts_at <= timezone.now() + dt.timedelta(hours=hours):
        raise Invalid(
            _(
                "A session must start more than %(hours)s hours from now, so that "
                "people can still book it."
            )
            % {"hours": hours},
            code="too_soon",
            fields={"starts_at": [_("Choose a later time.")]},
        )
    assessors = _assessors(assessor_ids)
    ends_at = starts_at + dt.timedelta(minutes=duration_min)
    overlapping = _overlapping(starts_at, ends_at)
    if any(s.workshop_id == workshop.pk for s in overlapping):
        raise Conflict(
            _("The workshop has another session at that time."), code="workshop_busy"
        )
    busy = {a.pk for s in overlapping for a in s.assessors.all()}
    if names := [a.display_name for a in assessors if a.pk in busy]:
        raise Conflict(
            _("Busy in another session at that time: %(names)s.")
            % {"names": "، ".join(names)},
            code="assessor_busy",
        )
    session = TestSession.objects.create(
        centre_id=workshop.centre_id,
        workshop=workshop,
        occupation_id=occupation.id,
        skill_level_id=level.id,
        starts_at=starts_at,
        duration_min=duration_min,
        seats=seats,
        published_by_id=staff_id,
    )
    session.assessors.set(assessors)
    return session_get(session_id=session.pk)


def session_get(*, session_id: int) -> SessionData:
    session = (
        TestSession.objects.select_related(
            "centre", "workshop", "occupation", "skill_level"
        )
        .prefetch_related("assessors")
        .get(pk=session_id)
    )
    return session_data(session, with_assessors=True)


def session_cancel(*, session_id: int, staff_id: int, reason: str) -> int:
    """Cancel a session that has not started: no more bookings from this moment;
    then each booked applicant gets their application back as accepted, with a
    notice. Returns how many were told. Refusals: Invalid `reason_required`;
    Forbidden as for publishing; Conflict `session_cancelled`, `session_started`."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Invalid(
            _("Say why the session is cancelled (at least ten letters)."),
            code="reason_required",
            fields={"reason": [_("Say why.")]},
        )
    scope = staff_scope(user_id=staff_id)
    with transaction.atomic():
        session = (
            TestSession.objects.select_for_update(of=("self",))
            .select_related("centre")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            raise NotFound(
                _("There is no such test session."), code="session_not_found"
            )
        scope_check(scope, session.centre.governorate_code)
        if session.status == SessionStatus.CANCELLED:
            raise Conflict(_("This session was cancelled."), code="session_cancelled")
        if session.starts_at <= timezone.now():
            raise Conflict(
                _("This session has started: it cannot be cancelled."),
                code="session_started",
            )
        session.status = SessionStatus.CANCELLED
        session.cancelled_by_id = staff_id
        session.cancelled_at = timezone.now()
        session.cancel_reason = reason[:2000]
        session.save()
    # Each booking apart, locking its application before the session row as a
    # booking does (one transaction over all of them could deadlock with one).
    return session_bookings_release(session_id=session_id, actor_id=staff_id)


def session_bookings_release(*, session_id: int, actor_id: int | None = None) -> int:
    """Give back the seats still booked in a cancelled session (idempotent: the
    periodic sweep finishes a cancellation a crash interrupted)."""
    told = 0
    booking_ids = list(
        Booking.objects.filter(
            session_id=session_id,
            status=BookingStatus.BOOKED,
            session__status=SessionStatus.CANCELLED,
        ).values_list("pk", flat=True)
    )
    for booking_id in booking_ids:
        told += _release_one(booking_id, actor_id)
    return told


@transaction.atomic
def _release_one(booking_id: int, actor_id: int | None) -> int:
    booking = (
        Booking.objects.select_related("application", "session__centre")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return 0
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .get(pk=booking.application_id)
    )
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.status != BookingStatus.BOOKED:
        return 0
    session = (
        TestSession.objects.select_for_update()
        .select_related("centre")
        .get(pk=booking.session_id)
    )
    booking.status = BookingStatus.SESSION_CANCELLED
    booking.ended_at = timezone.now()
    booking.save(update_fields=["status", "ended_at"])
    session.seats_taken = max(0, session.seats_taken - 1)
    session.save(update_fields=["seats_taken"])
    if application.state == ApplicationState.BOOKED:
        application.state = ApplicationState.ACCEPTED
        application.save(update_fields=["state", "updated_at"])
    record(
        application,
        EventAction.SESSION_CANCELLED,
        before=ApplicationState.BOOKED,
        actor_id=actor_id,
        reason=session.cancel_reason,
        data={"session": session.pk},
    )
    tell_applicant(
        application,
        EventAction.SESSION_CANCELLED,
        reason=session.cancel_reason,
        session=session,
    )
    return 1


def cancelled_sessions_release() -> int:
    """The periodic sweep: seats still booked in cancelled sessions go back."""
    session_ids = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED, session__status=SessionStatus.CANCELLED
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    return sum(session_bookings_release(session_id=s) for s in list(session_ids))
