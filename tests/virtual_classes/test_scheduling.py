"""Scheduling, calendar file, reminders, the dashboard panel and demo data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from virtual_classes.models import LiveClass

API = "/api/v1/classes/"


def future(hours=24) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def test_instructor_schedules_a_class_for_a_course_they_teach(
    client, instructor, course
):
    client.force_login(instructor)
    response = client.post(
        API,
        {"course_id": course.id, "title": "مراجعة", "starts_at": future()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    live_class = LiveClass.objects.get()
    assert live_class.instructor == instructor and live_class.course_id == course.id
    assert (
        live_class.room_name.startswith("maharat-") and len(live_class.room_name) > 30
    )
    assert live_class.room_name == live_class.room_name.lower()


def test_rooms_are_unguessable_and_distinct(make_class):
    names = {make_class().room_name for _ in range(3)}
    assert len(names) == 3


def test_instructor_cannot_schedule_for_a_course_they_do_not_teach(
    client, make_user, course
):
    other = make_user("instructor")
    client.force_login(other)
    response = client.post(
        API,
        {"course_id": course.id, "title": "x", "starts_at": future()},
        content_type="application/json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden" and body["message"] and body["fields"] == {}
    assert not LiveClass.objects.exists()


def test_scheduling_for_an_unknown_course_names_the_field(client, instructor, course):
    client.force_login(instructor)
    response = client.post(
        API,
        {"course_id": course.id + 999, "title": "x", "starts_at": future()},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_course" and list(body["fields"]) == ["course_id"]
    assert not LiveClass.objects.exists()


def test_trainee_cannot_schedule_a_class(client, student, course):
    client.force_login(student)
    response = client.post(
        API,
        {"course_id": course.id, "title": "x", "starts_at": future()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_class_in_the_past_is_refused(client, instructor, course):
    client.force_login(instructor)
    response = client.post(
        API,
        {"course_id": course.id, "title": "x", "starts_at": future(-1)},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "starts_in_past" and list(body["fields"]) == ["starts_at"]
    assert not LiveClass.objects.exists()


def test_schedule_form_shows_a_refusal_on_its_field(client, instructor, course):
    client.force_login(instructor)
    past = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        "/classes/new/",
        {
            "course": str(course.id),
            "title": "لقاء",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "duration_min": "60",
            "capacity": "100",
            "join_early_min": "15",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"]
    assert not LiveClass.objects.exists()


def test_schedule_form_accepts_eastern_arabic_digits(client, instructor, course):
    client.force_login(instructor)
    start = timezone.localtime() + dt.timedelta(days=2)
    eastern = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    response = client.post(
        "/classes/new/",
        {
            "course": str(course.id).translate(eastern),
            "title": "لقاء",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M").translate(eastern),
            "duration_min": "٩٠",
            "capacity": "١٠٠",
            "join_early_min": "١٥",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    live_class = LiveClass.objects.get()
    assert live_class.duration_min == 90 and live_class.capacity == 100


def test_trainee_cannot_open_the_schedule_form(client, student):
    client.force_login(student)
    assert client.get("/classes/new/").status_code == 403


def test_calendar_file_describes_the_class(client, live_class, student):
    client.force_login(student)
    response = client.get(f"/classes/{live_class.id}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    start = live_class.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in text and "BEGIN:VEVENT" in text
    assert f"UID:live-class-{live_class.id}@" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert f"SUMMARY:{live_class.title}" in unfolded


def test_calendar_file_is_refused_to_a_trainee_not_enrolled(
    client, live_class, trainee
):
    client.force_login(trainee)
    assert client.get(f"/classes/{live_class.id}/calendar.ics").status_code == 403


def test_reminders_go_once_to_enrolled_trainees_and_the_instructor(
    make_class, student, instructor, make_user, django_capture_on_commit_callbacks
):
    from lms.kernel.notifications.gateways import MemoryGateway

    MemoryGateway.outbox.clear()
    outsider = make_user("trainee")
    make_class(starts_at=timezone.now() + dt.timedelta(minutes=30))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_class_reminders", "--within", "60", stdout=out)
    assert _reminded() == sorted([student.pk, instructor.pk])
    assert outsider.pk not in _reminded()
    assert len(MemoryGateway.outbox) == 2  # their default channel: SMS
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_class_reminders", "--within", "60", stdout=out)
    assert len(_reminded()) == 2 and len(MemoryGateway.outbox) == 2
    assert "لقاء مباشر: 2 reminder(s) sent" in out.getvalue()


def _reminded() -> list[int]:
    """Who was sent a class reminder (lms.kernel.notifications' outbox)."""
    from lms.kernel.models import Notification

    rows = Notification.objects.filter(kind="class_reminder", status="sent")
    return sorted(rows.values_list("user_id", flat=True))


DEFERRING_QUEUE = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "media"],
    }
}


@pytest.mark.parametrize("hours_ahead", [24, 0.5])
def test_scheduling_a_class_queues_its_reminder_an_hour_before_the_start(
    client,
    instructor,
    course,
    settings,
    hours_ahead,
    django_capture_on_commit_callbacks,
):
    from django_tasks import default_task_backend

    settings.TASKS = DEFERRING_QUEUE
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            API,
            {
                "course_id": course.id,
                "title": "مراجعة",
                "starts_at": future(hours_ahead),
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    live_class = LiveClass.objects.get()
    [queued] = default_task_backend.results
    assert queued.task.name == "class_reminders_due"
    assert queued.args == [60]
    if hours_ahead > 1:
        assert queued.task.run_after == live_class.starts_at - dt.timedelta(hours=1)
    else:  # already inside the hour: send now
        assert queued.task.run_after is None


def test_the_queued_reminder_task_sends_each_reminder_once(
    make_class, student, django_capture_on_commit_callbacks
):
    from virtual_classes.tasks import class_reminders_due

    make_class(starts_at=timezone.now() + dt.timedelta(minutes=59))
    with django_capture_on_commit_callbacks(execute=True):
        assert class_reminders_due.call(60) >= 1
    assert _reminded().count(student.pk) == 1
    assert class_reminders_due.call(60) == 0


def test_no_reminder_for_a_class_far_ahead(make_class, student):
    make_class(starts_at=timezone.now() + dt.timedelta(hours=5))
    call_command("send_class_reminders", "--within", "60", stdout=io.StringIO())
    assert mail.outbox == [] and _reminded() == []


def test_dashboard_lists_upcoming_classes_for_enrolled_trainee(
    client, live_class, student
):
    client.force_login(student)
    page = client.get("/dashboard/").content.decode()
    assert live_class.title in page
    assert f"/classes/{live_class.id}/calendar.ics" in page


def test_dashboard_hides_classes_of_other_courses(client, live_class, trainee):
    client.force_login(trainee)
    assert live_class.title not in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_seed_demo_schedules_one_class_idempotently(make_user, course):
    from virtual_classes.wagtail_hooks import seed_demo_class

    demo = make_user("instructor", username="instructor")
    course.instructors.add(demo)
    course.save()
    seed_demo_class(io.StringIO())
    seed_demo_class(io.StringIO())
    assert LiveClass.objects.filter(instructor=demo).count() == 1
    assert LiveClass.objects.get().starts_at > timezone.now()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"course_id": 2**40}, "course_id"),  # beyond the database's integer
        ({"course_id": -1}, "course_id"),
        ({"course_id": "abc"}, "course_id"),
        ({"course_id": None}, "course_id"),
        ({"course_id": True}, "course_id"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": None}, "starts_at"),
        ({"duration_min": 4}, "duration_min"),
        ({"duration_min": 481}, "duration_min"),
        ({"duration_min": "ستون"}, "duration_min"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 5001}, "capacity"),
        ({"join_early_min": -1}, "join_early_min"),
        ({"join_early_min": 121}, "join_early_min"),
        ({"cohort": "x" * 101}, "cohort"),
        ({"start_audio_only": "maybe"}, "start_audio_only"),
        ({"description": ["a", "b"]}, "description"),
    ],
)
def test_every_invalid_field_is_a_400_naming_it(
    client, instructor, course, changes, field
):
    client.force_login(instructor)
    body = {"course_id": course.id, "title": "مراجعة", "starts_at": future()}
    body.update(changes)
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] and error["message"] and field in error["fields"]
    assert not LiveClass.objects.exists()


@pytest.mark.parametrize("body", ['["a"]', '"text"', "{", "null"])
def test_a_body_that_is_not_an_object_is_a_400(client, instructor, body):
    client.force_login(instructor)
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()
    assert set(error) >= {"code", "message", "fields"}
    assert not LiveClass.objects.exists()
