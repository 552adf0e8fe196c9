"""The heartbeat's fast path (courses/services/heartbeat_fast.py) writes what the full
path writes, in a fixed few queries, and leaves every case it does not answer
(refusals, replays, completion, a row that moved) to the full path untouched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonProgress, ProgressEvent, VideoProgress
from courses.services import batch, heartbeat_fast
from media_pipeline.models import VideoAsset
from tests.courses.conftest import lessons_of, video_block
from tests.courses.test_offline_plausibility import beat, enrol, opened, send
from tests.factories import UserFactory


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


def _watch(api, lesson, asset, start, steps) -> list[dict]:
    """An opened lesson, then a heartbeat every 10 s of playing (client-dated)."""
    events = [opened(lesson, start)] + [
        beat(lesson, asset, start + dt.timedelta(seconds=10 * n + 1), s)
        for n, s in enumerate(steps, start=1)
    ]
    results = [send(api, [event])[event["id"]] for event in events]
    return [{k: v for k, v in r.items() if k != "id"} for r in results]


def _rows(user, lesson) -> tuple:
    video = VideoProgress.objects.filter(user=user, lesson=lesson).values(
        "asset_id", "watched_s", "position_s", "duration_s"
    )
    events = ProgressEvent.objects.filter(user=user).order_by("pk")
    progress = LessonProgress.objects.get(user=user, lesson=lesson)
    return (
        list(video),
        [(e.kind, e.accepted, e.code, e.detail) for e in events],
        progress.completed_at is not None,
    )


def test_fast_and_full_path_answer_and_store_the_same(
    api, trainee, course, lesson, asset, monkeypatch
):
    """Grown, unchanged, too fast, completing: the same answers and rows either way."""
    from rest_framework.test import APIClient

    steps = [10, 20, 20, 75, 30, 40, 50, 60, 70, 80, 90, 100]
    start = timezone.now() - dt.timedelta(hours=1)
    enrol(trainee, course, ago=dt.timedelta(days=1))
    fast = _watch(api, lesson, asset, start, steps)

    reference = UserFactory()
    enrol(reference, course, ago=dt.timedelta(days=1))
    full_api = APIClient()
    full_api.force_authenticate(reference)
    monkeypatch.setattr(batch, "heartbeat_event_fast", lambda **kwargs: None)
    full = _watch(full_api, lesson, asset, start, steps)

    assert fast == full
    assert [r["code"] for r in fast][1:5] == ["", "", "", "faster_than_time"]
    assert _rows(trainee, lesson) == _rows(reference, lesson)
    assert _rows(trainee, lesson)[2] is True  # the last beats completed the lesson


def test_a_plain_heartbeat_costs_three_queries_past_authentication(
    trainee, course, lesson, asset, request
):
    """The trainee's row, the event and the video's progress, in one transaction:
    no lesson, enrolment or duration lookups of their own (kept per process), and
    the trainee row's SQL is not compiled again (lms.kernel.kept_sql)."""
    enrol(trainee, course, ago=dt.timedelta(days=1))
    start = timezone.now() - dt.timedelta(minutes=10)
    services.progress_events_apply(
        user=trainee,
        events=[{"id": "o", "kind": "open", "lesson_id": lesson.pk, "at": start}],
    )
    first = {
        "id": "b1", "kind": "heartbeat", "lesson_id": lesson.pk, "asset_id": asset.pk,
        "at": start + dt.timedelta(seconds=11), "watched_s": 10, "position_s": 10,
    }  # fmt: skip
    services.progress_events_apply(user=trainee, events=[first])  # facts now kept
    second = {**first, "id": "b2", "at": first["at"] + dt.timedelta(seconds=10),
              "watched_s": 20, "position_s": 20}  # fmt: skip
    compiled = request.getfixturevalue("compiled_queries")
    with CaptureQueriesContext(connection) as ctx:
        [result] = services.progress_events_apply(user=trainee, events=[second])
    assert result.accepted and result.detail == "watched 20s"
    assert Enrollment not in compiled
    statements = [
        q["sql"].split()[0]
        for q in ctx.captured_queries
        if "cachegeneration" not in q["sql"]  # the kernel's every-5-s re-read
        and "SAVEPOINT" not in q["sql"]  # the test's own transaction around ours
    ]
    assert statements == ["SELECT", "INSERT", "UPDATE"], ctx.captured_queries
    assert VideoProgress.objects.get(user=trainee).watched_s == 20


def test_a_replayed_heartbeat_is_answered_by_the_full_path(
    api, trainee, course, lesson, asset
):
    enrol(trainee, course, ago=dt.timedelta(days=1))
    start = timezone.now() - dt.timedelta(minutes=10)
    send(api, [opened(lesson, start)])
    event = beat(lesson, asset, start + dt.timedelta(seconds=11), 10)
    assert send(api, [event])[event["id"]]["replayed"] is False
    again = send(api, [event])[event["id"]]
    assert again["replayed"] is True and again["accepted"] is True
    assert ProgressEvent.objects.filter(client_event_id=event["id"]).count() == 1


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("not enrolled", "not_enrolled"),
        ("not opened", "lesson_not_opened"),
        ("faster than time", "faster_than_time"),
        ("another account", "other_account"),
        ("longer than the video", "longer_than_video"),
    ],
)
def test_what_the_fast_path_refuses_to_answer_is_refused_with_its_code(
    api, trainee, course, lesson, asset, case, code
):
    start = timezone.now() - dt.timedelta(minutes=10)
    if case != "not enrolled":
        enrol(trainee, course, ago=dt.timedelta(days=1))
    if case not in ("not enrolled", "not opened"):
        send(api, [opened(lesson, start)])
    event = beat(lesson, asset, start + dt.timedelta(seconds=11), 10)
    if case == "faster than time":
        event["watched_s"] = event["position_s"] = 30
    if case == "another account":
        event["user_id"] = trainee.pk + 1000
    if case == "longer than the video":
        event["watched_s"] = event["position_s"] = 200
    result = send(api, [event])[event["id"]]
    assert (result["accepted"], result["code"]) == (False, code)
    assert not VideoProgress.objects.exists()
    stored = ProgressEvent.objects.get(client_event_id=event["id"])
    assert (stored.accepted, stored.code) == (False, code)


def test_a_video_row_moved_since_it_was_read_writes_nothing(
    trainee, course, lesson, asset
):
    """The compare-and-set: a concurrent heartbeat moved the row; the event is not
    stored either, and the full path (with its row lock) answers instead."""
    enrol(trainee, course, ago=dt.timedelta(days=1))
    at = timezone.now()
    VideoProgress.objects.create(
        user=trainee, lesson=lesson, asset_id=asset.pk, watched_s=30,
        last_accepted_at=at,
    )  # fmt: skip
    event = {"id": "x", "lesson_id": lesson.pk, "asset_id": asset.pk}
    stale = {"watched_s": 40, "position_s": 40, "duration_s": 100,
             "last_accepted_at": at, "was": (20, at)}  # fmt: skip
    assert (
        heartbeat_fast._store(user=trainee, event=event, detail="d", video=stale)
        is None
    )
    assert not ProgressEvent.objects.filter(client_event_id="x").exists()
    assert VideoProgress.objects.get(user=trainee).watched_s == 30
