"""Test sessions: a directorate publishes them in its own centres, in a workshop
equipped for the occupation, within its seats, with free assessors; cancelling gives
every booked applicant their seat back and tells them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lms.kernel.errors import Conflict, Forbidden, Invalid
from lms.kernel.models import Notification
from skilltests import services
from skilltests.models import Application, Booking, TestSession
from skilltests.selectors import session_seats_held, sessions_for_staff

pytestmark = pytest.mark.django_db


def test_directorate_staff_publish_a_session_in_their_centre(publish, assessors):
    session = publish()
    assert session.centre_code == "13-zagazig"
    assert session.seats == 12 and session.seats_taken == 0
    assert set(session.assessor_names) == {a.display_name for a in assessors}
    assert session.status == "published"


def test_another_directorate_may_not_publish_in_the_centre(publish, cairo_staff):
    with pytest.raises(Forbidden) as refused:
        publish(staff=cairo_staff)
    assert refused.value.code == "other_directorate"
    assert not TestSession.objects.exists()


def test_head_office_may_publish_anywhere(publish, head_office):
    assert (
        publish(staff=head_office, centre_code="01-shubra").centre_code == "01-shubra"
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"seats": 201}, "too_many_seats"),
        ({"seats": 0}, "too_many_seats"),
        ({"occupation_code": "7127"}, "workshop_not_equipped"),
        ({"workshop_code": "kitchen"}, "unknown_workshop"),
        ({"centre_code": "99-nowhere"}, "unknown_centre"),
        ({"duration_min": 20}, "duration"),
        ({"assessor_ids": []}, "assessor_required"),
        ({"level_code": "grandmaster"}, "level"),
    ],
)
def test_a_session_that_cannot_run_is_refused(publish, overrides, code):
    with pytest.raises(Invalid) as refused:
        publish(**overrides)
    assert refused.value.code == code


def test_no_more_seats_than_the_workshop_has(publish):
    from skilltests.models import Workshop

    seats = Workshop.objects.get(centre__code="13-zagazig", code="tailoring").seats
    with pytest.raises(Invalid) as refused:
        publish(seats=seats + 1)
    assert refused.value.code == "too_many_seats"
    assert publish(seats=seats).seats == seats


def test_a_session_in_the_past_or_too_soon_to_book_is_refused(publish):
    for starts_at in (
        timezone.now() - dt.timedelta(days=1),
        timezone.now() + dt.timedelta(hours=3),
    ):
        with pytest.raises(Invalid) as refused:
            publish(starts_at=starts_at)
        assert refused.value.code == "too_soon"


def test_only_assessors_assess(publish, make_user):
    trainee = make_user("trainee")
    with pytest.raises(Invalid) as refused:
        publish(assessor_ids=[trainee.pk])
    assert refused.value.code == "not_an_assessor"


def test_a_workshop_or_an_assessor_is_not_in_two_sessions_at_once(
    publish, make_user, assessors
):
    first = publish()
    overlapping = first.starts_at + dt.timedelta(hours=2)
    with pytest.raises(Conflict) as refused:
        publish(starts_at=overlapping, assessor_ids=[make_user("assessor").pk])
    assert refused.value.code == "workshop_busy"
    with pytest.raises(Conflict) as refused:
        publish(
            starts_at=overlapping,
            workshop_code="electronics",
            occupation_code="7422",
            assessor_ids=[assessors[0].pk],
        )
    assert refused.value.code == "assessor_busy"
    after = publish(starts_at=first.starts_at + dt.timedelta(hours=4))
    assert after.id != first.id


def test_a_cancelled_session_gives_every_seat_back_and_tells_each_applicant(
    booked, worker, publish, sharqia_staff
):
    session = publish()
    people = [worker(), worker()]
    for person in people:
        booked(person, session=session)
    told = services.session_cancel(
        session_id=session.id,
        staff_id=sharqia_staff.pk,
        reason="انقطاع الكهرباء عن الورشة يوم الاختبار",
    )
    assert told == 2
    assert TestSession.objects.get(pk=session.id).seats_taken == 0
    assert session_seats_held(session_id=session.id) == 0
    assert set(Application.objects.values_list("state", flat=True)) == {"accepted"}
    assert set(Booking.objects.values_list("status", flat=True)) == {
        "session_cancelled"
    }
    for person in people:
        notice = Notification.objects.filter(user=person).latest("pk")
        assert notice.kind == "skilltest_session_cancelled"
        assert "انقطاع الكهرباء" in notice.text


def test_cancelling_needs_a_reason_and_its_own_directorate(
    publish, cairo_staff, sharqia_staff
):
    session = publish()
    with pytest.raises(Invalid) as refused:
        services.session_cancel(
            session_id=session.id, staff_id=sharqia_staff.pk, reason=""
        )
    assert refused.value.code == "reason_required"
    with pytest.raises(Forbidden) as refused:
        services.session_cancel(
            session_id=session.id,
            staff_id=cairo_staff.pk,
            reason="سبب كاف للإلغاء هنا",
        )
    assert refused.value.code == "other_directorate"


def test_a_started_or_cancelled_session_is_not_cancelled_again(publish, sharqia_staff):
    from tests.skilltests.conftest import move_session

    session = publish()
    reason = "تعطل ماكينات الخياطة بالورشة"
    services.session_cancel(
        session_id=session.id, staff_id=sharqia_staff.pk, reason=reason
    )
    with pytest.raises(Conflict) as refused:
        services.session_cancel(
            session_id=session.id, staff_id=sharqia_staff.pk, reason=reason
        )
    assert refused.value.code == "session_cancelled"
    started = publish(starts_at=timezone.now() + dt.timedelta(days=8))
    move_session(started.id, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        services.session_cancel(
            session_id=started.id, staff_id=sharqia_staff.pk, reason=reason
        )
    assert refused.value.code == "session_started"


def test_the_sweep_finishes_a_cancellation_cut_short(booked, applicant, sharqia_staff):
    application, session = booked(applicant)
    # as if the process died after the first step of session_cancel
    TestSession.objects.filter(pk=session.id).update(
        status="cancelled",
        cancel_reason="إغلاق المركز للصيانة",
        cancelled_at=timezone.now(),
    )
    assert services.cancelled_sessions_release() == 1
    assert Application.objects.get().state == "accepted"
    assert services.cancelled_sessions_release() == 0


def test_a_directorate_lists_its_own_sessions_only(publish, head_office, cairo_staff):
    mine = publish()
    publish(
        staff=head_office,
        centre_code="01-shubra",
        starts_at=timezone.now() + dt.timedelta(days=9),
    )
    page = sessions_for_staff(staff_id=cairo_staff.pk)
    assert [s.centre_code for s in page.sessions] == ["01-shubra"]
    everything = sessions_for_staff(staff_id=head_office.pk)
    assert {s.id for s in everything.sessions} >= {mine.id}
