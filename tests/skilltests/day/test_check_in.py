"""Check-in at the session: by the slip's QR or the national ID, by the session's
assessors or its directorate's staff; every refusal on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from skilltests import services
from skilltests.models import (
    Application,
    ApplicationEvent,
    Booking,
    BookingStatus,
    EventAction,
)
from skilltests.services.day import (
    check_in_by_national_id,
    check_in_by_slip,
    slip_token,
)
from tests.skilltests.conftest import move_session

pytestmark = pytest.mark.django_db

EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _booking(application) -> Booking:
    return Booking.objects.get(
        application__reference=application.reference,
        status__in=["booked", "checked_in"],
    )


def test_assessor_checks_in_by_national_id_typed_in_eastern_arabic_digits(
    on_the_day, applicant, assessors
):
    application, session = on_the_day
    reference = check_in_by_national_id(
        session_id=session.id,
        national_id=applicant.national_id.translate(EASTERN),
        viewer_id=assessors[0].pk,
    )
    assert reference == application.reference
    booking = _booking(application)
    assert booking.status == BookingStatus.CHECKED_IN
    assert booking.checked_in_by == assessors[0]
    assert booking.checked_in_at is not None
    # the application stays booked until both parts are scored; the event says so
    row = Application.objects.get(reference=reference)
    assert row.state == "booked"
    event = ApplicationEvent.objects.filter(application=row).latest("at")
    assert event.action == EventAction.CHECKED_IN
    assert event.actor == assessors[0]


def test_checking_in_by_the_slips_qr_address(on_the_day, assessors):
    application, session = on_the_day
    token = _booking(application).token
    url = f"https://maharat.example/skill-tests/slips/{token}/"
    assert slip_token(url) == token
    check_in_by_slip(session_id=session.id, slip=url, viewer_id=assessors[1].pk)
    assert _booking(application).status == BookingStatus.CHECKED_IN


def test_directorate_staff_may_check_in(on_the_day, applicant, sharqia_staff):
    application, session = on_the_day
    check_in_by_national_id(
        session_id=session.id,
        national_id=applicant.national_id,
        viewer_id=sharqia_staff.pk,
    )
    assert _booking(application).checked_in_by == sharqia_staff


def test_check_in_notifies_the_candidate(on_the_day, applicant, assessors):
    from lms.kernel.models import Notification

    _application, session = on_the_day
    check_in_by_national_id(
        session_id=session.id,
        national_id=applicant.national_id,
        viewer_id=assessors[0].pk,
    )
    assert Notification.objects.filter(
        user=applicant, kind="skilltest_checked_in"
    ).exists()


def test_checking_in_twice_is_refused_and_says_when(on_the_day, applicant, assessors):
    _application, session = on_the_day
    kwargs = {"session_id": session.id, "national_id": applicant.national_id}
    check_in_by_national_id(**kwargs, viewer_id=assessors[0].pk)
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(**kwargs, viewer_id=assessors[1].pk)
    assert refused.value.code == "already_checked_in"


def test_a_slip_of_another_centre_is_refused_as_the_wrong_centre(
    book_today, worker, assessors
):
    _, here = book_today(worker())
    application, _ = book_today(worker(), centre_code="13-tenth-ramadan")
    with pytest.raises(Conflict) as refused:
        check_in_by_slip(
            session_id=here.id,
            slip=_booking(application).token,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "wrong_centre"
    assert _booking(application).status == BookingStatus.BOOKED


def test_a_national_id_booked_at_another_centre_is_the_wrong_centre(
    book_today, worker, assessors
):
    _, here = book_today(worker())
    person = worker()
    book_today(person, centre_code="13-tenth-ramadan")
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=here.id,
            national_id=person.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "wrong_centre"


def test_a_slip_of_another_session_at_this_centre_is_named(
    book_today, publish, worker, assessors, make_user
):
    _, here = book_today(worker())
    application, _ = book_today(
        worker(),
        minutes=300,
        session=publish(
            starts_at=timezone.now() + dt.timedelta(days=8),
            assessor_ids=[make_user("assessor").pk],
        ),
    )
    with pytest.raises(Conflict) as refused:
        check_in_by_slip(
            session_id=here.id,
            slip=_booking(application).token,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "other_session"


def test_a_candidate_not_on_the_roster_is_refused(on_the_day, worker, assessors):
    _application, session = on_the_day
    stranger = worker()
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=stranger.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "not_on_roster"


def test_an_assessor_not_of_the_session_is_refused(on_the_day, applicant, make_user):
    _application, session = on_the_day
    with pytest.raises(Forbidden) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=make_user("assessor").pk,
        )
    assert refused.value.code == "not_session_assessor"


def test_staff_of_another_directorate_is_refused(on_the_day, applicant, cairo_staff):
    _application, session = on_the_day
    with pytest.raises(Forbidden) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=cairo_staff.pk,
        )
    assert refused.value.code == "other_directorate"


def test_a_trainee_cannot_check_anyone_in(on_the_day, applicant, worker):
    _application, session = on_the_day
    with pytest.raises(Forbidden):
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=worker().pk,
        )


def test_check_in_before_it_opens_is_refused(book_today, applicant, assessors):
    _, session = book_today(applicant, minutes=180)
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "check_in_not_open"


def test_check_in_opens_an_hour_before_the_start(book_today, applicant, assessors):
    application, session = book_today(applicant, minutes=50)
    check_in_by_national_id(
        session_id=session.id,
        national_id=applicant.national_id,
        viewer_id=assessors[0].pk,
    )
    assert _booking(application).status == BookingStatus.CHECKED_IN


def test_check_in_after_the_session_is_refused(on_the_day, applicant, assessors):
    _application, session = on_the_day
    move_session(session.id, timezone.now() - dt.timedelta(hours=5))
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "session_over"


def test_check_in_to_a_cancelled_session_is_refused(
    on_the_day, applicant, assessors, sharqia_staff
):
    _application, session = on_the_day
    move_session(session.id, timezone.now() + dt.timedelta(days=3))
    services.session_cancel(
        session_id=session.id, staff_id=sharqia_staff.pk, reason="عطل في الورشة"
    )
    move_session(session.id, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "session_cancelled"


def test_a_moved_bookings_old_slip_is_not_valid(booked, publish, applicant, assessors):
    session = publish()
    application, _ = booked(applicant, session=session)
    old_token = _booking(application).token
    services.booking_reschedule(
        reference=application.reference,
        applicant_id=applicant.pk,
        session_id=publish(starts_at=timezone.now() + dt.timedelta(days=9)).id,
    )
    move_session(session.id, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        check_in_by_slip(
            session_id=session.id, slip=old_token, viewer_id=assessors[0].pk
        )
    assert refused.value.code == "slip_not_valid"


def test_an_unknown_slip_is_not_found(on_the_day, assessors):
    _application, session = on_the_day
    with pytest.raises(NotFound):
        check_in_by_slip(
            session_id=session.id, slip="A" * 24, viewer_id=assessors[0].pk
        )


def test_a_malformed_national_id_is_invalid(on_the_day, assessors):
    _application, session = on_the_day
    with pytest.raises(Invalid) as refused:
        check_in_by_national_id(
            session_id=session.id, national_id="12345", viewer_id=assessors[0].pk
        )
    assert refused.value.code == "national_id"


def test_unreadable_scan_is_invalid():
    with pytest.raises(Invalid):
        slip_token("not a slip")
