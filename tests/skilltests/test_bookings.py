"""Seats: an accepted applicant books one in a matching session, moves it or gives
it back within the rules; a full, past, closed or cancelled session takes nobody;
the reminder goes out once, the day before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lms.kernel.errors import Conflict, Invalid
from lms.kernel.models import Notification
from skilltests import services
from skilltests.models import Booking, TestSession
from skilltests.selectors import session_seats_held, sessions_bookable
from tests.skilltests.conftest import move_session

pytestmark = pytest.mark.django_db


def taken(session) -> int:
    return TestSession.objects.get(pk=session.id).seats_taken


def test_an_accepted_applicant_books_a_seat_and_gets_the_slip_by_notice(
    accepted, applicant, publish
):
    session = publish()
    application = accepted(applicant)
    assert [
        s.id
        for s in sessions_bookable(
            reference=application.reference, applicant_id=applicant.pk
        )
    ] == [session.id]
    result = services.booking_create(
        reference=application.reference,
        applicant_id=applicant.pk,
        session_id=session.id,
    )
    assert result.state == "booked"
    assert result.booking.session.id == session.id
    assert taken(session) == 1
    notice = Notification.objects.filter(user=applicant).latest("pk")
    assert notice.kind == "skilltest_booked"
    assert session.centre_name in notice.text


def test_a_submitted_or_returned_application_cannot_book(submit, applicant, publish):
    session = publish()
    application = submit(applicant)
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=session.id,
        )
    assert refused.value.code == "not_accepted"
    assert taken(session) == 0


def test_one_booking_per_application(booked, applicant, publish):
    application, _ = booked(applicant)
    other = publish(starts_at=timezone.now() + dt.timedelta(days=9))
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=other.id,
        )
    assert refused.value.code == "already_booked"
    assert taken(other) == 0


def test_a_full_session_is_refused(booked, worker, publish, accepted):
    session = publish(seats=1)
    booked(worker(), session=session)
    late = worker()
    application = accepted(late)
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference, applicant_id=late.pk, session_id=session.id
        )
    assert refused.value.code == "session_full"
    assert taken(session) == 1
    assert session_seats_held(session_id=session.id) == 1


def test_a_past_session_is_refused(accepted, applicant, publish):
    session = publish()
    move_session(session.id, timezone.now() - dt.timedelta(hours=2))
    application = accepted(applicant)
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=session.id,
        )
    assert refused.value.code == "session_past"
    assert (
        sessions_bookable(reference=application.reference, applicant_id=applicant.pk)
        == []
    )


def test_booking_closes_hours_before_the_start(accepted, applicant, publish, settings):
    session = publish()
    move_session(
        session.id,
        timezone.now() + dt.timedelta(hours=settings.SKILLTESTS_BOOKING_CLOSES_H - 1),
    )
    application = accepted(applicant)
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=session.id,
        )
    assert refused.value.code == "booking_closed"


def test_a_cancelled_session_is_refused(accepted, applicant, publish, sharqia_staff):
    session = publish()
    services.session_cancel(
        session_id=session.id, staff_id=sharqia_staff.pk, reason="الورشة تحت الصيانة"
    )
    application = accepted(applicant)
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=session.id,
        )
    assert refused.value.code == "session_cancelled"


def test_a_session_of_another_occupation_level_or_governorate_is_refused(
    accepted, applicant, publish, head_office
):
    application = accepted(applicant)
    others = [
        publish(level_code="technician"),
        publish(
            workshop_code="refrigeration",
            occupation_code="7127",
            starts_at=timezone.now() + dt.timedelta(days=8),
        ),
        publish(
            staff=head_office,
            centre_code="01-shubra",
            starts_at=timezone.now() + dt.timedelta(days=9),
        ),
    ]
    for other in others:
        with pytest.raises(Invalid) as refused:
            services.booking_create(
                reference=application.reference,
                applicant_id=applicant.pk,
                session_id=other.id,
            )
        assert refused.value.code == "session_mismatch"
    assert (
        sessions_bookable(reference=application.reference, applicant_id=applicant.pk)
        == []
    )


def test_moving_gives_the_old_seat_back_and_a_new_slip(booked, applicant, publish):
    application, first = booked(applicant)
    old_token = Booking.objects.get().token
    second = publish(starts_at=timezone.now() + dt.timedelta(days=10))
    moved = services.booking_reschedule(
        reference=application.reference, applicant_id=applicant.pk, session_id=second.id
    )
    assert moved.booking.session.id == second.id
    assert (taken(first), taken(second)) == (0, 1)
    assert Booking.objects.get(token=old_token).status == "moved"
    assert Booking.objects.get(status="booked").token != old_token
    assert moved.reschedules == 1


def test_moving_into_a_full_session_changes_nothing(booked, applicant, worker, publish):
    application, first = booked(applicant)
    full = publish(seats=1, starts_at=timezone.now() + dt.timedelta(days=10))
    booked(worker(), session=full)
    with pytest.raises(Conflict) as refused:
        services.booking_reschedule(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=full.id,
        )
    assert refused.value.code == "session_full"
    assert (taken(first), taken(full)) == (1, 1)
    assert Booking.objects.get(application__applicant=applicant).status == "booked"


def test_moves_are_limited(booked, applicant, publish, settings):
    settings.SKILLTESTS_MAX_RESCHEDULES = 1
    application, _ = booked(applicant)
    second = publish(starts_at=timezone.now() + dt.timedelta(days=10))
    third = publish(starts_at=timezone.now() + dt.timedelta(days=12))
    services.booking_reschedule(
        reference=application.reference, applicant_id=applicant.pk, session_id=second.id
    )
    with pytest.raises(Conflict) as refused:
        services.booking_reschedule(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=third.id,
        )
    assert refused.value.code == "reschedules_used"


def test_moving_to_the_same_session_is_refused(booked, applicant):
    application, session = booked(applicant)
    with pytest.raises(Invalid) as refused:
        services.booking_reschedule(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=session.id,
        )
    assert refused.value.code == "same_session"


def test_cancelling_gives_the_seat_back_and_the_applicant_may_book_again(
    booked, applicant
):
    application, session = booked(applicant)
    after = services.booking_cancel(
        reference=application.reference, applicant_id=applicant.pk
    )
    assert after.state == "accepted" and after.booking is None
    assert taken(session) == 0
    again = services.booking_create(
        reference=application.reference,
        applicant_id=applicant.pk,
        session_id=session.id,
    )
    assert again.state == "booked"


def test_no_change_close_to_the_test(booked, applicant, publish, settings):
    application, session = booked(applicant)
    move_session(
        session.id,
        timezone.now() + dt.timedelta(hours=settings.SKILLTESTS_CHANGE_CLOSES_H - 1),
    )
    other = publish(starts_at=timezone.now() + dt.timedelta(days=10))
    for change in (
        lambda: services.booking_cancel(
            reference=application.reference, applicant_id=applicant.pk
        ),
        lambda: services.booking_reschedule(
            reference=application.reference,
            applicant_id=applicant.pk,
            session_id=other.id,
        ),
        lambda: services.application_withdraw(
            reference=application.reference, applicant_id=applicant.pk
        ),
    ):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == "change_closed"
    assert taken(session) == 1


def test_withdrawing_a_booked_application_frees_its_seat(booked, applicant):
    application, session = booked(applicant)
    services.application_withdraw(
        reference=application.reference, applicant_id=applicant.pk
    )
    assert taken(session) == 0
    assert Booking.objects.get().status == "cancelled"


def test_the_reminder_goes_out_once_the_day_before(booked, applicant, settings):
    application, session = booked(applicant)
    assert services.booking_reminders_send() == 0  # a week ahead: not yet
    move_session(
        session.id,
        timezone.now() + dt.timedelta(hours=settings.SKILLTESTS_REMINDER_H - 2),
    )
    assert services.booking_reminders_send() == 1
    assert services.booking_reminders_send() == 0
    reminders = Notification.objects.filter(user=applicant, kind="skilltest_reminder")
    assert reminders.count() == 1
    assert reminders.get().link.endswith(f"/applications/{application.reference}/slip/")


def test_no_reminder_for_a_cancelled_appointment_or_one_booked_on_the_eve(
    booked, applicant, worker, publish, make_user
):
    application, session = booked(applicant)
    services.booking_cancel(reference=application.reference, applicant_id=applicant.pk)
    move_session(session.id, timezone.now() + dt.timedelta(hours=20))
    assert services.booking_reminders_send() == 0
    eve = publish(
        centre_code="13-tenth-ramadan",
        starts_at=timezone.now() + dt.timedelta(hours=20),
        assessor_ids=[make_user("assessor").pk],
    )
    booked(worker(), session=eve)  # its booking notice is the reminder
    assert services.booking_reminders_send() == 0
