"""Attendance intervals become minutes; minutes reach the course completion rule."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from virtual_classes import selectors, services
from virtual_classes.models import AttendanceInterval
from virtual_classes.services import attendance as attendance_services

CLASSROOM = AttendanceInterval.Source.CLASSROOM


@pytest.fixture
def started_class(make_class):
    return make_class(starts_at=timezone.now() - dt.timedelta(minutes=50))


def interval(live_class, user, start_min, end_min, source=CLASSROOM, key=None):
    base = live_class.starts_at
    return AttendanceInterval.objects.create(
        live_class=live_class,
        user=user,
        source=source,
        connection_key=key or f"k{start_min}-{end_min}-{source}",
        joined_at=base + dt.timedelta(minutes=start_min),
        left_at=None if end_min is None else base + dt.timedelta(minutes=end_min),
    )


def test_overlapping_intervals_count_once(started_class, student):
    interval(started_class, student, 0, 20)
    interval(started_class, student, 10, 30)  # a second tab
    interval(started_class, student, 25, 35, source="jitsi")
    assert (
        selectors.attendance_minutes(live_class_id=started_class.id)[student.id] == 35
    )


def test_time_before_the_start_does_not_count(started_class, student):
    interval(started_class, student, -10, 5)
    assert selectors.attendance_minutes(live_class_id=started_class.id)[student.id] == 5


def test_an_open_interval_counts_up_to_now(started_class, student):
    interval(started_class, student, 40, None)
    minutes = selectors.attendance_minutes(live_class_id=started_class.id)[student.id]
    assert minutes == 10


def test_time_after_the_instructor_ended_the_class_does_not_count(
    started_class, student
):
    started_class.ended_at = started_class.starts_at + dt.timedelta(minutes=15)
    started_class.save()
    interval(started_class, student, 0, 45)
    assert (
        selectors.attendance_minutes(live_class_id=started_class.id)[student.id] == 15
    )


@pytest.fixture
def reported(monkeypatch):
    """Record what reaches courses.services.live_attendance_set (still calling it)."""
    calls = []
    real = attendance_services.live_attendance_set

    def spy(**kwargs):
        calls.append(kwargs)
        real(**kwargs)

    monkeypatch.setattr(attendance_services, "live_attendance_set", spy)
    return calls


def test_leaving_reports_the_trainees_minutes_to_the_course(
    started_class, student, reported
):
    join_at = started_class.starts_at + dt.timedelta(minutes=5)
    kwargs = {
        "live_class_id": started_class.id,
        "user_id": student.id,
        "source": CLASSROOM,
        "connection_key": "c1",
    }
    assert services.attendance_join(**kwargs, at=join_at) is True
    assert services.attendance_leave(**kwargs, at=join_at + dt.timedelta(minutes=12))
    assert reported[-1] == {
        "user_id": student.id,
        "course_id": started_class.course_id,
        "source_key": f"class:{started_class.id}",
        "minutes": 12,
    }


def test_instructor_minutes_are_not_reported_as_trainee_attendance(
    started_class, instructor, reported
):
    kwargs = {
        "live_class_id": started_class.id,
        "user_id": instructor.id,
        "source": CLASSROOM,
        "connection_key": "c1",
    }
    services.attendance_join(**kwargs)
    services.attendance_leave(**kwargs)
    assert reported == []


def test_second_connection_is_not_a_new_arrival(started_class, student):
    kwargs = {"live_class_id": started_class.id, "user_id": student.id}
    assert services.attendance_join(**kwargs, source=CLASSROOM, connection_key="a")
    assert not services.attendance_join(**kwargs, source=CLASSROOM, connection_key="b")
    assert not services.attendance_leave(**kwargs, source=CLASSROOM, connection_key="a")
    assert services.attendance_leave(**kwargs, source=CLASSROOM, connection_key="b")


def test_ending_the_class_reports_everyone(
    started_class, student, other_student, reported
):
    interval(started_class, student, 0, None, key="s")
    interval(started_class, other_student, 10, 20, key="o")
    services.live_class_end(live_class_id=started_class.id)
    by_user = {c["user_id"]: c["minutes"] for c in reported}
    assert by_user[student.id] >= 49 and by_user[other_student.id] == 10
    assert not AttendanceInterval.objects.filter(left_at__isnull=True).exists()


def exported_rows(response, live_class) -> list[list[str]]:
    """The attendance CSV as a spreadsheet reads it: one list per line."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="attendance-{live_class.id}.csv"'
    )
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 then
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_instructor_exports_attendance_as_csv(
    client, started_class, instructor, student
):
    row = interval(started_class, student, 0, 30)
    interval(started_class, instructor, 0, None, key="teaching")
    client.force_login(instructor)
    response = client.get(f"/classes/{started_class.id}/attendance.csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # a BOM for Excel
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) == 3  # the header, then one row per person by name
    by_name = {line[0]: line for line in lines[1:]}
    cairo = ZoneInfo("Africa/Cairo")
    assert by_name[student.display_name] == [
        student.display_name,
        student.username,
        "متدرب",
        "نعم",
        row.joined_at.astimezone(cairo).strftime("%Y-%m-%d %H:%M"),
        row.left_at.astimezone(cairo).strftime("%Y-%m-%d %H:%M"),
        "30",
    ]
    assert by_name[instructor.display_name][2] == "المدرّب"
    assert by_name[instructor.display_name][5] == ""  # still here: no last leave
    assert "(بتوقيت القاهرة)" in lines[0][4]
    assert student.national_id not in text


def test_the_export_lists_the_enrolled_who_never_joined_and_is_formula_safe(
    client, started_class, instructor, student, make_user, course, enrol
):
    interval(started_class, student, 0, 30)
    absent = make_user("trainee", full_name_ar='=HYPERLINK("http://x")')
    enrol(absent, course)
    client.force_login(instructor)
    response = client.get(f"/classes/{started_class.id}/attendance.csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    [row] = [line for line in lines if line[1] == absent.username]
    assert row[0].startswith("'=")  # shown as text, never run as a formula
    assert row[2:] == ["متدرب", "لا", "", "", "0"]
    # the API keeps listing who attended only
    api = client.get(f"/api/v1/classes/{started_class.id}/attendance/").json()
    assert absent.id not in {r["user_id"] for r in api}


def test_instructor_reads_attendance_through_the_api(
    client, started_class, instructor, student
):
    interval(started_class, student, 0, 30)
    client.force_login(instructor)
    rows = client.get(f"/api/v1/classes/{started_class.id}/attendance/").json()
    assert [(r["user_id"], r["minutes"]) for r in rows] == [(student.id, 30)]


def test_trainee_cannot_export_attendance(client, started_class, student):
    client.force_login(student)
    assert client.get(f"/classes/{started_class.id}/attendance.csv").status_code == 403
    response = client.get(f"/api/v1/classes/{started_class.id}/attendance/")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and response.json()["message"]


def test_attendance_of_an_unknown_class_is_404(client, started_class, instructor):
    client.force_login(instructor)
    missing = started_class.id + 999
    assert client.get(f"/classes/{missing}/attendance.csv").status_code == 404
    response = client.get(f"/api/v1/classes/{missing}/attendance/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_another_instructor_cannot_export_attendance(client, started_class, make_user):
    client.force_login(make_user("instructor"))
    assert client.get(f"/classes/{started_class.id}/attendance.csv").status_code == 403


def test_ministry_staff_can_export_attendance(
    client, started_class, ministry_staff, student
):
    interval(started_class, student, 5, None)  # still in the class: no "last left"
    client.force_login(ministry_staff)
    response = client.get(f"/classes/{started_class.id}/attendance.csv")
    [_header, row] = exported_rows(response, started_class)
    assert row[:4] == [student.display_name, student.username, "متدرب", "نعم"]
    joined = timezone.localtime(started_class.starts_at + dt.timedelta(minutes=5))
    assert row[4] == joined.strftime("%Y-%m-%d %H:%M")  # Cairo time, to the minute
    assert row[5] == "" and row[6] == "45"
