"""The progress API: authorisation, refusals, the offline batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses import services
from courses.models import CheckResult, Enrollment, ProgressEvent, VideoProgress
from media_pipeline.models import VideoAsset
from tests.courses.conftest import check_block, lessons_of, video_block


@pytest.fixture
def asset(db):
    return VideoAsset.objects.create(title="فيديو", original="videos/a.mp4")


@pytest.fixture
def course(tree, asset):
    course = tree.course(
        modules=1, lessons=1, body=lambda: [video_block(asset.pk), check_block("kc1")]
    )
    course.save_revision().publish()
    return course


def test_anonymous_cannot_enrol(course):
    response = APIClient().post(f"/api/v1/courses/{course.pk}/enrollment/")
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_trainee_enrols_and_leaves_through_the_api(api, course, trainee):
    url = f"/api/v1/courses/{course.pk}/enrollment/"
    first = api.post(url)
    assert first.status_code == 201 and first.json()["status"] == "active"
    assert Enrollment.objects.get(user=trainee).status == "active"
    assert api.post(url).status_code == 200  # already enrolled: a replay
    assert api.delete(url).status_code == 204
    assert Enrollment.objects.get(user=trainee).status == "left"


def test_leaving_a_course_one_is_not_in_is_a_conflict(api, course):
    response = api.delete(f"/api/v1/courses/{course.pk}/enrollment/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_enrolled" and body["message"]


def test_enrolling_in_a_missing_course_is_not_found(api, db):
    response = api.post("/api/v1/courses/999999/enrollment/")
    assert response.status_code == 404
    assert response.json()["code"] == "course_not_found"


def test_a_man_enrolling_in_a_women_only_course_is_forbidden(tree, make_user):
    course = tree.course(audience="women")
    course.save_revision().publish()
    client = APIClient()
    client.force_authenticate(make_user("trainee", national_id="29001010100013"))
    response = client.post(f"/api/v1/courses/{course.pk}/enrollment/")
    assert response.status_code == 403
    assert response.json()["code"] == "women_only"
    assert not Enrollment.objects.exists()


def test_anonymous_heartbeat_is_refused(course, asset):
    lesson = lessons_of(course)[0]
    response = APIClient().post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat/",
        {"asset_id": asset.pk, "watched_s": 5},
        format="json",
    )
    assert response.status_code == 403


def test_heartbeat_with_bad_input_is_refused_with_a_reason(api, course):
    lesson = lessons_of(course)[0]
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat/",
        {"asset_id": "x", "watched_s": -3},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"asset_id", "watched_s"} <= set(body["fields"])


def test_heartbeat_not_enrolled_is_refused(api, course, asset):
    lesson = lessons_of(course)[0]
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat/",
        {"asset_id": asset.pk, "watched_s": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_enrolled"
    assert not VideoProgress.objects.exists()


def test_heartbeat_with_an_event_id_answers_the_stored_refusal(
    api, course, asset, trainee
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    beat = {"asset_id": asset.pk, "watched_s": 50, "event_id": "hb-1"}
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat/"
    first = api.post(url, beat, format="json")  # lesson never opened
    assert first.status_code == 409
    assert first.json()["code"] == "progress_refused" and first.json()["message"]
    again = api.post(url, beat, format="json")
    assert again.status_code == 409
    assert again.json()["message"] == first.json()["message"]
    assert ProgressEvent.objects.filter(client_event_id="hb-1").count() == 1


def test_check_answer_is_scored_through_the_api(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/checks/kc1/",
        {"answers": {"0": [0], "1": [0, 1]}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["score_pct"] == 100
    assert CheckResult.objects.get(user=trainee).passed_at is not None


def test_check_answer_with_bad_shape_is_refused(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/checks/kc1/",
        {"answers": {"first": "x"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_answer_to_a_check_not_in_the_lesson_is_not_found(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/checks/nope/",
        {"answers": {"0": [0]}},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "check_not_found"
    assert not CheckResult.objects.exists()


def _events(lesson, asset, start):
    def ts(s):
        return (start + dt.timedelta(seconds=s)).isoformat()

    return [
        {"id": "e1", "kind": "open", "lesson_id": lesson.pk, "at": ts(0)},
        {
            "id": "e2",
            "kind": "heartbeat",
            "lesson_id": lesson.pk,
            "at": ts(10),
            "asset_id": asset.pk,
            "watched_s": 10,
            "duration_s": 100,
        },
        {
            "id": "e3",
            "kind": "heartbeat",
            "lesson_id": lesson.pk,
            "at": ts(20),
            "asset_id": asset.pk,
            "watched_s": 90,
            "duration_s": 100,
        },
        {"id": "e4", "kind": "heartbeat", "lesson_id": lesson.pk},
        {
            "id": "e5",
            "kind": "answer",
            "lesson_id": lesson.pk,
            "at": ts(25),
            "block_id": "kc1",
            "answers": {"0": [0], "1": [0, 1]},
        },
    ]


def test_offline_batch_applies_good_events_and_refuses_implausible_ones(
    api, course, asset, trainee
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    # the events are dated an hour ago: none may be older than the enrolment
    Enrollment.objects.filter(user=trainee).update(
        enrolled_at=timezone.now() - dt.timedelta(days=1)
    )
    lesson = lessons_of(course)[0]
    start = timezone.now() - dt.timedelta(hours=1)
    response = api.post(
        "/api/v1/progress/events/",
        {"events": _events(lesson, asset, start)},
        format="json",
    )
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()["results"]}
    assert results["e1"]["accepted"] and results["e2"]["accepted"]
    assert not results["e3"]["accepted"]  # 80 s claimed in 10 s
    assert not results["e4"]["accepted"]  # invalid: no timestamp
    assert results["e5"]["accepted"]
    assert VideoProgress.objects.get(user=trainee).watched_s == 10


def test_replayed_offline_batch_changes_nothing(api, course, asset, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    # the events are dated an hour ago: none may be older than the enrolment
    Enrollment.objects.filter(user=trainee).update(
        enrolled_at=timezone.now() - dt.timedelta(days=1)
    )
    lesson = lessons_of(course)[0]
    events = _events(lesson, asset, timezone.now() - dt.timedelta(hours=1))
    api.post("/api/v1/progress/events/", {"events": events}, format="json")
    before = (VideoProgress.objects.values().get(), ProgressEvent.objects.count())
    again = api.post("/api/v1/progress/events/", {"events": events}, format="json")
    assert all(r.get("replayed", True) for r in again.json()["results"])
    assert (
        VideoProgress.objects.values().get(),
        ProgressEvent.objects.count(),
    ) == before


def test_offline_event_dated_in_the_future_is_refused(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api.post(
        "/api/v1/progress/events/",
        {"events": [{"id": "f", "kind": "open", "lesson_id": lesson.pk, "at": future}]},
        format="json",
    )
    assert response.json()["results"][0]["accepted"] is False


def test_progress_of_another_users_course_is_not_shown(api, course):
    response = api.get(f"/api/v1/courses/{course.pk}/progress/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_enrolled"


def test_progress_of_my_course_lists_its_lessons(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=trainee, lesson_id=lesson.pk)
    body = api.get(f"/api/v1/courses/{course.pk}/progress/").json()
    assert body["percent"] == 0
    assert body["lessons"] == [{"id": lesson.pk, "completed": False, "opened": True}]
