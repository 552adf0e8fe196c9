"""Offline progress events are held to the online plausibility rules: a phone's clock
cannot date a report before the enrolment, and a back-dated "lesson opened" cannot buy
watch time (one report carries one step of playing). Each refusal has its code."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonProgress, ProgressEvent, VideoProgress
from media_pipeline.models import VideoAsset
from tests.courses.conftest import lessons_of, video_block

EVENTS = "/api/v1/progress/events/"


@pytest.fixture
def asset(db):
    return VideoAsset.objects.create(
        title="فك الضاغط",
        original="videos/a.mp4",
        status=VideoAsset.Status.READY,
        duration_s=100,
        renditions=[],
    )


@pytest.fixture
def course(tree, asset):
    """One lesson with a 100 s video and nothing else: watching it completes it."""
    course = tree.course(modules=1, lessons=1, body=lambda: [video_block(asset.pk)])
    course.save_revision().publish()
    return course


@pytest.fixture
def lesson(course):
    return lessons_of(course)[0]


def enrol(trainee, course, *, ago: dt.timedelta = dt.timedelta(0)) -> None:
    services.enrollment_create(user=trainee, course_id=course.pk)
    Enrollment.objects.filter(user=trainee, course=course).update(
        enrolled_at=timezone.now() - ago
    )


def opened(lesson, at) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "open", "lesson_id": lesson.pk,
            "at": at.isoformat()}  # fmt: skip


def beat(lesson, asset, at, watched_s) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "heartbeat", "lesson_id": lesson.pk,
            "at": at.isoformat(), "asset_id": asset.pk, "watched_s": watched_s,
            "position_s": watched_s, "duration_s": 100}  # fmt: skip


def send(api, events) -> dict:
    response = api.post(EVENTS, {"events": events}, format="json")
    assert response.status_code == 200, response.content
    return {r["id"]: r for r in response.json()["results"]}


def completed(trainee, lesson) -> bool:
    progress = LessonProgress.objects.filter(user=trainee, lesson=lesson).first()
    return bool(progress and progress.completed_at)


def test_an_open_back_dated_before_the_enrolment_is_refused(
    api, trainee, course, lesson, asset
):
    """The issue's case: enrolled now, "opened" a day ago, one 90 s heartbeat."""
    enrol(trainee, course)
    now = timezone.now()
    back_dated = opened(lesson, now - dt.timedelta(days=1))
    claim = beat(lesson, asset, now, 90)
    results = send(api, [back_dated, claim])
    assert results[back_dated["id"]]["accepted"] is False
    assert results[back_dated["id"]]["code"] == "before_enrolment"
    assert results[back_dated["id"]]["detail"]
    assert results[claim["id"]]["accepted"] is False
    assert not completed(trainee, lesson)
    assert not VideoProgress.objects.exists()


def test_a_back_dated_open_after_the_enrolment_buys_no_watch_time(
    api, trainee, course, lesson, asset
):
    """Enrolled a week ago: the back-dated open itself is plausible, but one report
    cannot carry 90 s of playing."""
    enrol(trainee, course, ago=dt.timedelta(days=7))
    now = timezone.now()
    back_dated = opened(lesson, now - dt.timedelta(days=1))
    claim = beat(lesson, asset, now, 90)
    results = send(api, [back_dated, claim])
    assert results[back_dated["id"]]["accepted"] is True
    assert results[claim["id"]] == {
        "id": claim["id"],
        "accepted": False,
        "code": "step_too_large",
        "detail": results[claim["id"]]["detail"],
        "replayed": False,
    }
    assert results[claim["id"]]["detail"]
    assert not completed(trainee, lesson)
    assert not VideoProgress.objects.exists()


def test_the_same_claim_online_is_refused_too(client, trainee, course, lesson, asset):
    """The online rule the offline one now matches (server time: no time elapsed)."""
    enrol(trainee, course)
    client.force_login(trainee)
    client.get(lesson.url)  # opened now, by the server's clock
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat/",
        {"asset_id": asset.pk, "watched_s": 90, "position_s": 90},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "faster_than_time"
    assert not completed(trainee, lesson)


def test_honest_offline_playing_completes_the_lesson(
    api, trainee, course, lesson, asset
):
    """A player's real reports (every 10 s of playing) are all credited."""
    enrol(trainee, course, ago=dt.timedelta(days=2))
    start = timezone.now() - dt.timedelta(hours=3)
    events = [opened(lesson, start)] + [
        beat(lesson, asset, start + dt.timedelta(seconds=10 * n + 1), 10 * n)
        for n in range(1, 11)
    ]
    results = send(api, events)
    assert all(r["accepted"] and r["code"] == "" for r in results.values()), results
    assert VideoProgress.objects.get(user=trainee).watched_s == 100
    assert completed(trainee, lesson)


def test_refused_events_do_not_take_the_good_ones_of_the_batch_down(
    api, trainee, course, lesson, asset
):
    enrol(trainee, course, ago=dt.timedelta(days=2))
    start = timezone.now() - dt.timedelta(hours=1)
    good_open = opened(lesson, start)
    too_early = opened(lesson, timezone.now() - dt.timedelta(days=3))
    good_beat = beat(lesson, asset, start + dt.timedelta(seconds=12), 10)
    greedy = beat(lesson, asset, start + dt.timedelta(minutes=10), 80)
    future = beat(lesson, asset, timezone.now() + dt.timedelta(hours=1), 20)
    results = send(api, [greedy, future, good_beat, too_early, good_open])
    codes = {key: (r["accepted"], r["code"]) for key, r in results.items()}
    assert codes == {
        good_open["id"]: (True, ""),
        good_beat["id"]: (True, ""),
        too_early["id"]: (False, "before_enrolment"),
        greedy["id"]: (False, "step_too_large"),
        future["id"]: (False, "future_report"),
    }
    assert VideoProgress.objects.get(user=trainee).watched_s == 10


def test_a_replayed_refusal_answers_its_code_again(api, trainee, course, lesson, asset):
    enrol(trainee, course)
    back_dated = opened(lesson, timezone.now() - dt.timedelta(days=1))
    send(api, [back_dated])
    again = send(api, [back_dated])[back_dated["id"]]
    assert again["accepted"] is False and again["replayed"] is True
    assert again["code"] == "before_enrolment"
    assert ProgressEvent.objects.get(client_event_id=back_dated["id"]).code == (
        "before_enrolment"
    )


def test_an_answer_dated_before_the_enrolment_is_refused(tree, api, trainee):
    from tests.courses.conftest import check_block

    course = tree.course(modules=1, lessons=1, body=lambda: [check_block("kc1")])
    course.save_revision().publish()
    enrol(trainee, course)
    lesson = lessons_of(course)[0]
    answer = {"id": str(uuid.uuid4()), "kind": "answer", "lesson_id": lesson.pk,
              "at": (timezone.now() - dt.timedelta(days=2)).isoformat(),
              "block_id": "kc1", "answers": {"0": [0], "1": [0, 1]}}  # fmt: skip
    result = send(api, [answer])[answer["id"]]
    assert result["accepted"] is False and result["code"] == "before_enrolment"


def test_a_malformed_event_has_the_invalid_code(api, trainee, course, lesson):
    enrol(trainee, course)
    broken = {"id": "b1", "kind": "open", "lesson_id": lesson.pk, "at": "yesterday"}
    result = send(api, [broken])["b1"]
    assert result["accepted"] is False and result["code"] == "invalid"


def test_an_online_heartbeat_with_an_event_id_keeps_the_server_clock_rule(
    client, trainee, course, lesson, asset
):
    """Dated by the server, a report after a lost one may carry more than one step."""
    enrol(trainee, course, ago=dt.timedelta(days=1))
    client.force_login(trainee)
    client.get(lesson.url)
    LessonProgress.objects.filter(user=trainee, lesson=lesson).update(
        opened_at=timezone.now() - dt.timedelta(minutes=2)
    )
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat/",
        {"asset_id": asset.pk, "watched_s": 60, "position_s": 60, "event_id": "e1"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert VideoProgress.objects.get(user=trainee).watched_s == 60
