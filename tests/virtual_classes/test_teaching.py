"""The instructor's workplace: my classes, edit/reschedule and cancel with notice to
the enrolled, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lms.kernel.errors import Conflict, Forbidden, Invalid
from lms.kernel.notifications.selectors import notifications_for
from virtual_classes import selectors, services
from virtual_classes.models import LiveClass

MINE = "/classes/mine/"


def later(**kwargs) -> dt.datetime:
    return (timezone.now() + dt.timedelta(**kwargs)).replace(second=0, microsecond=0)


def edit_fields(live_class: LiveClass, **changes) -> dict:
    fields = {
        "title": live_class.title,
        "description": live_class.description,
        "starts_at": live_class.starts_at,
        "duration_min": live_class.duration_min,
        "capacity": live_class.capacity,
        "join_early_min": live_class.join_early_min,
        "cohort": live_class.cohort,
        "start_audio_only": live_class.start_audio_only,
    }
    fields.update(changes)
    return fields


def form_post(live_class: LiveClass, **changes) -> dict:
    fields = edit_fields(live_class, **changes)
    start = timezone.localtime(fields.pop("starts_at")).strftime("%Y-%m-%dT%H:%M")
    data = {k: v for k, v in fields.items() if v not in (False, None)}
    return {**data, "starts_at": start}


@pytest.fixture
def tomorrow_class(make_class):
    return make_class(starts_at=later(days=1), title="مراجعة الوحدة الأولى")


# --- my classes ----------------------------------------------------------------------


def test_my_classes_lists_upcoming_and_past_classes_of_my_courses(
    client, instructor, make_class
):
    make_class(starts_at=later(days=2), title="حصة قادمة")
    make_class(starts_at=later(days=-3), title="حصة سابقة")
    client.force_login(instructor)
    response = client.get(MINE)
    assert response.status_code == 200
    html = response.content.decode()
    upcoming, past = html.split('id="past-h"')
    assert "حصة قادمة" in upcoming and "حصة سابقة" not in upcoming
    assert "حصة سابقة" in past
    assert "تعديل أو تغيير الموعد" in upcoming  # edit, for a class not yet open
    assert "تعديل أو تغيير الموعد" not in past


def test_my_classes_shows_a_colleagues_class_of_my_course_but_not_other_courses(
    make_user, make_course, instructor, course
):
    colleague = make_user("instructor")
    course.instructors.add(colleague)
    other_course = make_course(instructors=[make_user("instructor")])
    LiveClass.objects.create(
        course=course, instructor=colleague, title="حصة الزميل", starts_at=later(days=1)
    )
    LiveClass.objects.create(
        course=other_course,
        instructor=other_course.instructors.first(),
        title="دورة أخرى",
        starts_at=later(days=1),
    )
    titles = [
        r.live_class.title for r in selectors.classes_taught(user=instructor).upcoming
    ]
    assert titles == ["حصة الزميل"]


@pytest.mark.parametrize("role", ["trainee", "assessor", "content_editor"])
def test_my_classes_is_refused_to_other_roles(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(MINE).status_code == 403


def test_my_classes_asks_a_visitor_to_log_in(client):
    response = client.get(MINE)
    assert response.status_code == 302 and "login" in response["Location"]


# --- edit and reschedule ------------------------------------------------------------


def test_rescheduling_tells_the_enrolled_and_reminds_again(
    client, instructor, student, other_student, tomorrow_class
):
    tomorrow_class.reminder_sent_at = timezone.now()
    tomorrow_class.save()
    new_start = later(days=3)
    client.force_login(instructor)
    response = client.post(
        f"/classes/{tomorrow_class.pk}/edit/",
        form_post(tomorrow_class, starts_at=new_start),
    )
    assert response.status_code == 302, response.content.decode()
    tomorrow_class.refresh_from_db()
    assert tomorrow_class.starts_at == new_start
    assert tomorrow_class.reminder_sent_at is None  # the new time gets a reminder
    for user in (student, other_student):
        (notice,) = notifications_for(user_id=user.pk, kind="class_rescheduled")
        assert notice.link == f"/classes/{tomorrow_class.pk}/"
        assert "مراجعة الوحدة الأولى" in notice.text
        assert timezone.localtime(new_start).strftime("%Y-%m-%d %H:%M") in notice.text
    assert not notifications_for(user_id=instructor.pk)


def test_a_notice_carries_nothing_personal(instructor, student, tomorrow_class):
    services.live_class_update(
        user=instructor,
        live_class_id=tomorrow_class.pk,
        **edit_fields(tomorrow_class, starts_at=later(days=2)),
    )
    (notice,) = notifications_for(user_id=student.pk)
    for personal in (
        student.full_name_ar,
        student.national_id,
        student.username,
        instructor.full_name_ar,
        instructor.display_name,
    ):
        assert personal not in notice.text and personal not in notice.subject


def test_changing_only_the_title_tells_nobody(instructor, student, tomorrow_class):
    (updated,) = services.live_class_update(
        user=instructor,
        live_class_id=tomorrow_class.pk,
        **edit_fields(tomorrow_class, title="عنوان جديد"),
    )
    assert updated.title == "عنوان جديد"
    assert not notifications_for(user_id=student.pk)


def test_an_instructor_of_another_course_cannot_edit_or_cancel(
    client, make_user, student, tomorrow_class
):
    stranger = make_user("instructor")
    with pytest.raises(Forbidden):
        services.live_class_update(
            user=stranger,
            live_class_id=tomorrow_class.pk,
            **edit_fields(tomorrow_class, starts_at=later(days=2)),
        )
    with pytest.raises(Forbidden):
        services.live_class_cancel(
            user=stranger, live_class_id=tomorrow_class.pk, reason="سبب"
        )
    client.force_login(stranger)
    response = client.post(f"/classes/{tomorrow_class.pk}/cancel/", {"reason": "سبب"})
    assert response.status_code == 403
    tomorrow_class.refresh_from_db()
    assert tomorrow_class.cancelled_at is None
    assert not notifications_for(user_id=student.pk)


def test_ministry_staff_may_reschedule_any_class(ministry_staff, tomorrow_class):
    (updated,) = services.live_class_update(
        user=ministry_staff,
        live_class_id=tomorrow_class.pk,
        **edit_fields(tomorrow_class, duration_min=90),
    )
    assert updated.duration_min == 90


@pytest.mark.parametrize("role", ["trainee", "assessor"])
def test_the_edit_page_is_refused_to_other_roles(
    client, make_user, tomorrow_class, role
):
    client.force_login(make_user(role))
    assert client.get(f"/classes/{tomorrow_class.pk}/edit/").status_code == 403
    assert client.get(f"/classes/{tomorrow_class.pk}/cancel/").status_code == 403


def test_a_class_already_open_cannot_be_changed(instructor, make_class):
    open_now = make_class(starts_at=later(minutes=5))  # join window opened
    with pytest.raises(Conflict) as refused:
        services.live_class_update(
            user=instructor,
            live_class_id=open_now.pk,
            **edit_fields(open_now, starts_at=later(days=1)),
        )
    assert refused.value.code == "already_open"
    with pytest.raises(Conflict) as refused:
        services.live_class_cancel(
            user=instructor, live_class_id=open_now.pk, reason="x"
        )
    assert refused.value.code == "already_open"


def test_rescheduling_into_the_past_is_refused_on_the_form(
    client, instructor, tomorrow_class
):
    client.force_login(instructor)
    response = client.post(
        f"/classes/{tomorrow_class.pk}/edit/",
        form_post(tomorrow_class, starts_at=later(days=-1), title="عنوان محفوظ"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "اختر موعد بدء في المستقبل" in html
    assert 'value="عنوان محفوظ"' in html  # what was typed is kept
    tomorrow_class.refresh_from_db()
    assert tomorrow_class.title == "مراجعة الوحدة الأولى"


def test_the_edit_form_accepts_eastern_arabic_digits(
    client, instructor, tomorrow_class
):
    client.force_login(instructor)
    data = form_post(tomorrow_class)
    data["duration_min"] = "٩٠"
    response = client.post(f"/classes/{tomorrow_class.pk}/edit/", data)
    assert response.status_code == 302
    tomorrow_class.refresh_from_db()
    assert tomorrow_class.duration_min == 90


# --- cancel --------------------------------------------------------------------------


def test_cancelling_tells_the_enrolled_and_keeps_the_class_visible(
    client, instructor, student, tomorrow_class
):
    client.force_login(instructor)
    response = client.post(
        f"/classes/{tomorrow_class.pk}/cancel/", {"reason": "ظرف طارئ للمدرب"}
    )
    assert response.status_code == 302
    tomorrow_class.refresh_from_db()
    assert (
        tomorrow_class.cancelled_at
        and tomorrow_class.cancel_reason == "ظرف طارئ للمدرب"
    )
    (notice,) = notifications_for(user_id=student.pk, kind="class_cancelled")
    assert notice.link == f"/classes/{tomorrow_class.pk}/"
    assert "أُلغيت" in notice.text or "ملغاة" in notice.text
    assert "ظرف طارئ" not in notice.text  # typed text stays on the page, not in SMS
    # the class page says so, with the reason, to the trainee
    client.force_login(student)
    page = client.get(f"/classes/{tomorrow_class.pk}/").content.decode()
    assert "أُلغيت هذه الحصة" in page and "ظرف طارئ للمدرب" in page
    # still listed, as cancelled, in my classes (and not changeable any more)
    client.force_login(instructor)
    mine = client.get(MINE).content.decode()
    assert "مراجعة الوحدة الأولى" in mine and "ملغاة" in mine
    assert f"/classes/{tomorrow_class.pk}/cancel/" not in mine


def test_a_cancelled_class_cannot_be_joined(student, make_class, instructor):
    live_class = make_class(starts_at=later(hours=2))
    services.live_class_cancel(user=instructor, live_class_id=live_class.pk, reason="x")
    LiveClass.objects.filter(pk=live_class.pk).update(starts_at=later(minutes=5))
    with pytest.raises(Forbidden) as refused:
        services.class_join(user=student, live_class_id=live_class.pk)
    assert refused.value.code == "cancelled"
    with pytest.raises(Forbidden) as refused:
        selectors.classroom_admit(user=student, live_class_id=live_class.pk)
    assert refused.value.code == "cancelled"


def test_a_cancelled_class_gets_no_reminder(instructor, student, make_class):
    live_class = make_class(starts_at=later(hours=2))
    services.live_class_cancel(user=instructor, live_class_id=live_class.pk, reason="x")
    LiveClass.objects.filter(pk=live_class.pk).update(starts_at=later(minutes=30))
    assert services.class_reminders_send(within_min=60) == []


def test_cancelling_needs_a_reason(client, instructor, student, tomorrow_class):
    with pytest.raises(Invalid) as refused:
        services.live_class_cancel(
            user=instructor, live_class_id=tomorrow_class.pk, reason="   "
        )
    assert refused.value.code == "reason_required"
    client.force_login(instructor)
    response = client.post(f"/classes/{tomorrow_class.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200
    tomorrow_class.refresh_from_db()
    assert tomorrow_class.cancelled_at is None
    assert not notifications_for(user_id=student.pk)


def test_cancelling_twice_is_refused_and_tells_nobody_again(
    instructor, student, tomorrow_class
):
    services.live_class_cancel(
        user=instructor, live_class_id=tomorrow_class.pk, reason="x"
    )
    with pytest.raises(Conflict) as refused:
        services.live_class_cancel(
            user=instructor, live_class_id=tomorrow_class.pk, reason="x"
        )
    assert refused.value.code == "cancelled"
    with pytest.raises(Conflict):
        services.live_class_update(
            user=instructor,
            live_class_id=tomorrow_class.pk,
            **edit_fields(tomorrow_class, starts_at=later(days=2)),
        )
    assert len(notifications_for(user_id=student.pk)) == 1


def test_the_course_page_and_dashboard_show_the_class_as_cancelled(
    client, instructor, student, course, tomorrow_class
):
    services.live_class_cancel(
        user=instructor, live_class_id=tomorrow_class.pk, reason="x"
    )
    client.force_login(student)
    html = client.get(course.url).content.decode()
    assert "مراجعة الوحدة الأولى" in html and "ملغاة" in html
    assert "أضف إلى التقويم" not in html.split("مراجعة الوحدة الأولى", 1)[1][:400]


def test_a_cancelled_classs_calendar_file_says_so(
    client, instructor, student, tomorrow_class
):
    client.force_login(student)
    ics = client.get(f"/classes/{tomorrow_class.pk}/calendar.ics").content.decode()
    assert "STATUS:CONFIRMED" in ics
    services.live_class_cancel(
        user=instructor, live_class_id=tomorrow_class.pk, reason="x"
    )
    ics = client.get(f"/classes/{tomorrow_class.pk}/calendar.ics").content.decode()
    assert "STATUS:CANCELLED" in ics
    page = client.get(f"/classes/{tomorrow_class.pk}/").content.decode()
    assert f"/classes/{tomorrow_class.pk}/calendar.ics" not in page
