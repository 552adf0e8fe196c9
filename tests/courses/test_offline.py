"""Save for offline (manifests) and the offline progress batch's refusals."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image as PILImage
from rest_framework.test import APIClient
from wagtail.images import get_image_model

from courses import services
from courses.models import (
    CheckResult,
    Enrollment,
    LessonProgress,
    ModulePage,
    ProgressEvent,
    VideoProgress,
)
from media_pipeline.models import Caption, VideoAsset
from tests.courses.conftest import check_block, lessons_of, video_block

PREFIX = "videos/assets/1/tok"
MP4_BYTES = 123_456


@pytest.fixture
def ready_asset(db):
    """An asset as the pipeline publishes it: offline MP4, poster, a caption."""
    default_storage.save(f"{PREFIX}/offline.mp4", ContentFile(b"\0" * 64))
    default_storage.save(f"{PREFIX}/poster.jpg", ContentFile(b"p" * 700))
    asset = VideoAsset.objects.create(
        title="لحام الأنابيب",
        original="videos/a.mp4",
        status=VideoAsset.Status.READY,
        duration_s=100,
        output_prefix=PREFIX,
        offline_mp4_name="offline.mp4",
        offline_size_bytes=MP4_BYTES,
        poster_name="poster.jpg",
        renditions=[],
    )
    caption = Caption(asset=asset, language="ar", label="العربية")
    caption.file.save("ar.vtt", ContentFile(b"WEBVTT\n\n" + b"x" * 300), save=True)
    return asset


@pytest.fixture
def picture(db):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (200, 120, 40)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="أنبوب", file=ImageFile(buffer, name="pipe.png")
    )


def image_block(image) -> dict:
    return {
        "type": "image",
        "id": str(uuid.uuid4()),
        "value": {"image": image.pk, "alt": "أنبوب نحاسي", "caption": ""},
    }


@pytest.fixture
def course(tree, ready_asset, picture):
    course = tree.course(
        modules=1,
        lessons=2,
        body=lambda: [
            image_block(picture),
            video_block(ready_asset.pk),
            check_block("kc1"),
        ],
    )
    course.save_revision().publish()
    return course


def lesson_manifest_url(lesson) -> str:
    return f"/api/v1/lessons/{lesson.pk}/offline-manifest/"


def test_enrolled_trainee_gets_the_lesson_offline_manifest(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    response = api.get(lesson_manifest_url(lesson))
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["key"] == f"lesson:{lesson.pk}"
    assert manifest["page_url"] == lesson.url
    urls = manifest["urls"]
    assert urls[0] == lesson.url
    assert f"/media/{PREFIX}/offline.mp4" in urls
    assert f"/media/{PREFIX}/poster.jpg" in urls
    assert any(url.endswith(".vtt") for url in urls)
    assert not any(url.endswith((".m3u8", ".ts", ".m4s")) for url in urls)
    webp = [url for url in urls if url.endswith(".webp")]
    assert len(webp) == 3  # the srcset's 360/720/1080 widths
    assert "/static/courses/lesson.js" in urls
    assert "/static/media_pipeline/player.js" in urls
    assert len(urls) == len(set(urls))
    # the offline MP4 alone weighs MP4_BYTES; everything else adds to it
    assert manifest["size_bytes"] > MP4_BYTES + 700 + 300


def test_size_before_saving_is_the_sum_of_the_files(api, course, trainee, picture):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    size = api.get(lesson_manifest_url(lesson)).json()["size_bytes"]
    VideoAsset.objects.update(offline_size_bytes=MP4_BYTES + 1000)
    assert api.get(lesson_manifest_url(lesson)).json()["size_bytes"] == size + 1000


def test_module_manifest_lists_every_lesson_once(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    module = ModulePage.objects.child_of(course).get()
    response = api.get(f"/api/v1/modules/{module.pk}/offline-manifest/")
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["key"] == f"module:{module.pk}"
    assert manifest["page_url"] == module.url
    for lesson in lessons_of(course):
        assert lesson.url in manifest["urls"]
    # the lessons share the video: saved (and counted) once
    assert manifest["urls"].count(f"/media/{PREFIX}/offline.mp4") == 1
    assert MP4_BYTES < manifest["size_bytes"] < 2 * MP4_BYTES


def test_lesson_manifest_saves_its_downloadable_documents(tree, api, trainee):
    from wagtail.documents import get_document_model

    worksheet = get_document_model().objects.create(
        title="ورقة عمل اللحام",
        file=ContentFile(b"%PDF-1.4 worksheet " + b"w" * 5000, name="worksheet.pdf"),
    )
    course = tree.course(
        modules=1,
        lessons=1,
        body=lambda: [
            {
                "type": "document",
                "id": str(uuid.uuid4()),
                "value": {"document": worksheet.pk, "title": "ورقة العمل"},
            }
        ],
    )
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    manifest = api.get(lesson_manifest_url(lesson)).json()
    assert worksheet.url in manifest["urls"]
    assert manifest["size_bytes"] >= 5000 + 19
    # what the phone will fetch to store it: the document itself
    response = api.get(worksheet.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 worksheet")


def test_trainee_not_enrolled_gets_no_manifest(api, course):
    lesson = lessons_of(course)[0]
    response = api.get(lesson_manifest_url(lesson))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_enrolled" and "سجّل في الدورة" in body["message"]
    module = ModulePage.objects.child_of(course).get()
    assert api.get(f"/api/v1/modules/{module.pk}/offline-manifest/").status_code == 403


def test_anonymous_gets_no_manifest(course):
    lesson = lessons_of(course)[0]
    assert APIClient().get(lesson_manifest_url(lesson)).status_code == 403


def test_trainee_who_left_the_course_gets_no_manifest(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    services.enrollment_leave(user=trainee, course_id=course.pk)
    assert api.get(lesson_manifest_url(lessons_of(course)[0])).status_code == 403


def test_ministry_staff_and_course_instructor_get_the_manifest(
    course, ministry_staff, instructor
):
    course.instructors.add(instructor)
    course.save()
    lesson = lessons_of(course)[0]
    for user in (ministry_staff, instructor):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(lesson_manifest_url(lesson)).status_code == 200


def test_unpublished_lesson_has_no_manifest(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    assert api.get(lesson_manifest_url(lesson)).status_code == 404


def test_lesson_and_module_pages_offer_save_for_offline_to_enrolled_trainees(
    client, course, trainee
):
    lesson = lessons_of(course)[0]
    module = ModulePage.objects.child_of(course).get()
    client.force_login(trainee)
    assert b"data-offline-manifest" not in client.get(lesson.url).content
    services.enrollment_create(user=trainee, course_id=course.pk)
    page = client.get(lesson.url).content.decode()
    assert f'data-offline-manifest="{lesson_manifest_url(lesson)}"' in page
    assert f'data-offline-key="lesson:{lesson.pk}"' in page
    assert 'data-progress-sync-url="/api/v1/progress/events/"' in page
    page = client.get(module.url).content.decode()
    assert f'data-offline-key="module:{module.pk}"' in page


def test_fetching_a_page_to_save_it_does_not_count_as_opening_it(
    client, course, trainee
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lesson = lessons_of(course)[0]
    client.get(lesson.url, headers={"X-Offline-Save": "1"})
    assert not LessonProgress.objects.filter(user=trainee).exists()
    client.get(lesson.url)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).exists()


# --- the offline progress batch: refusals ------------------------------------


def post_events(api, events):
    response = api.post("/api/v1/progress/events/", {"events": events}, format="json")
    assert response.status_code == 200
    return {r["id"]: r for r in response.json()["results"]}


def open_event(lesson, at, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "open", "lesson_id": lesson.pk,
            "at": at.isoformat(), **extra}  # fmt: skip


def test_event_recorded_for_another_account_is_refused(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    event = open_event(lesson, timezone.now(), user_id=trainee.pk + 1000)
    result = post_events(api, [event])[event["id"]]
    assert result["accepted"] is False
    assert result["detail"]
    assert not LessonProgress.objects.exists()


def test_event_for_a_course_the_trainee_is_not_enrolled_in_is_refused(api, course):
    lesson = lessons_of(course)[0]
    event = open_event(lesson, timezone.now())
    assert post_events(api, [event])[event["id"]]["accepted"] is False
    assert not LessonProgress.objects.exists()


def test_own_events_with_the_signed_in_user_id_are_applied(api, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    event = open_event(lesson, timezone.now(), user_id=trainee.pk)
    assert post_events(api, [event])[event["id"]]["accepted"] is True
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).exists()


def test_another_users_event_id_does_not_reveal_or_block_theirs(
    course, trainee, make_user
):
    other = make_user("trainee")
    for user in (trainee, other):
        services.enrollment_create(user=user, course_id=course.pk)
    lesson = lessons_of(course)[0]
    event = open_event(lesson, timezone.now())
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(trainee)
    theirs.force_authenticate(other)
    post_events(mine, [event])
    result = post_events(theirs, [event])[event["id"]]
    assert result["accepted"] is True and result["replayed"] is False
    assert LessonProgress.objects.filter(lesson=lesson).count() == 2


@pytest.mark.parametrize(
    "broken",
    [
        {"kind": "open"},  # no id
        {"id": "x" * 65, "kind": "open"},  # id too long
        {"id": "k1", "kind": "teleport"},  # unknown kind
        {"id": "k2", "kind": "open", "at": "yesterday"},  # not a timestamp
        {"id": "k3", "kind": "heartbeat"},  # no asset_id / watched_s
        {"id": "k4", "kind": "heartbeat", "asset_id": 1, "watched_s": -5},
        {"id": "k5", "kind": "answer", "block_id": "kc1", "answers": {"a": "b"}},
        "not an object",
    ],
)
def test_malformed_event_is_refused_without_taking_the_batch_down(
    api, course, trainee, broken
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    lesson = lessons_of(course)[0]
    if isinstance(broken, dict):
        broken = {"lesson_id": lesson.pk, "at": timezone.now().isoformat()} | broken
    good = open_event(lesson, timezone.now())
    response = api.post(
        "/api/v1/progress/events/", {"events": [broken, good]}, format="json"
    )
    first, second = response.json()["results"]
    assert first["accepted"] is False and first["detail"]
    assert first["code"] == "invalid"
    assert second == {
        "id": good["id"],
        "accepted": True,
        "code": "",
        "detail": "opened",
        "replayed": False,
    }


@pytest.mark.parametrize("body", [{}, {"events": []}, {"events": "x"}, [1, 2]])
def test_malformed_batch_is_refused(api, course, body):
    response = api.post("/api/v1/progress/events/", body, format="json")
    assert response.status_code == 400


def test_batch_of_more_than_500_events_is_refused(api, course):
    lesson = lessons_of(course)[0]
    events = [open_event(lesson, timezone.now()) for _ in range(501)]
    response = api.post("/api/v1/progress/events/", {"events": events}, format="json")
    assert response.status_code == 400
    assert not ProgressEvent.objects.exists()


def test_anonymous_batch_is_refused(course):
    lesson = lessons_of(course)[0]
    response = APIClient().post(
        "/api/v1/progress/events/",
        {"events": [open_event(lesson, timezone.now())]},
        format="json",
    )
    assert response.status_code == 403
    assert not ProgressEvent.objects.exists()


def enrol_days_ago(trainee, course, days: int = 1) -> None:
    """Client-dated events may not be older than the enrolment: enrol earlier."""
    services.enrollment_create(user=trainee, course_id=course.pk)
    Enrollment.objects.filter(user=trainee).update(
        enrolled_at=timezone.now() - dt.timedelta(days=days)
    )


def heartbeat(lesson, asset, at, watched_s) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "heartbeat", "lesson_id": lesson.pk,
            "at": at.isoformat(), "asset_id": asset.pk, "watched_s": watched_s,
            "position_s": watched_s, "duration_s": 100}  # fmt: skip


def test_watch_time_beyond_the_client_time_elapsed_is_refused(
    api, course, trainee, ready_asset
):
    enrol_days_ago(trainee, course)
    lesson = lessons_of(course)[0]
    start = timezone.now() - dt.timedelta(hours=2)
    opened = open_event(lesson, start)
    honest = heartbeat(lesson, ready_asset, start + dt.timedelta(seconds=30), 30)
    greedy = heartbeat(lesson, ready_asset, start + dt.timedelta(seconds=40), 95)
    results = post_events(api, [greedy, honest, opened])  # any order: sorted by `at`
    assert results[opened["id"]]["accepted"] and results[honest["id"]]["accepted"]
    assert results[greedy["id"]]["accepted"] is False
    assert results[greedy["id"]]["detail"]
    assert VideoProgress.objects.get(user=trainee).watched_s == 30


def test_watch_time_longer_than_the_video_is_refused(api, course, trainee, ready_asset):
    enrol_days_ago(trainee, course)
    lesson = lessons_of(course)[0]
    start = timezone.now() - dt.timedelta(hours=2)
    too_long = heartbeat(lesson, ready_asset, start + dt.timedelta(hours=1), 500)
    results = post_events(api, [open_event(lesson, start), too_long])
    assert results[too_long["id"]]["accepted"] is False
    assert not VideoProgress.objects.exists()


def test_duplicate_events_are_applied_once_and_answered_as_replayed(
    api, course, trainee, ready_asset
):
    enrol_days_ago(trainee, course)
    lesson = lessons_of(course)[0]
    start = timezone.now() - dt.timedelta(hours=1)
    beat = heartbeat(lesson, ready_asset, start + dt.timedelta(seconds=30), 25)
    answer = {"id": str(uuid.uuid4()), "kind": "answer", "lesson_id": lesson.pk,
              "at": start.isoformat(), "block_id": "kc1",
              "answers": {"0": [0], "1": [0, 1]}}  # fmt: skip
    first = post_events(api, [open_event(lesson, start), beat, answer])
    assert all(r["accepted"] and not r["replayed"] for r in first.values())
    again = post_events(api, [beat, answer, beat])
    assert all(r["replayed"] and r["accepted"] for r in again.values())
    assert ProgressEvent.objects.filter(user=trainee).count() == 3
    assert VideoProgress.objects.get(user=trainee).watched_s == 25
    assert CheckResult.objects.get(user=trainee).best_score_pct == 100


def test_refused_event_sent_again_stays_refused(api, course, trainee, ready_asset):
    enrol_days_ago(trainee, course)
    lesson = lessons_of(course)[0]
    start = timezone.now() - dt.timedelta(hours=1)
    greedy = heartbeat(lesson, ready_asset, start + dt.timedelta(seconds=5), 90)
    post_events(api, [open_event(lesson, start), greedy])
    later = open_event(lesson, start + dt.timedelta(minutes=30))
    again = post_events(api, [later, greedy])[greedy["id"]]
    assert again["accepted"] is False and again["replayed"] is True
    assert not VideoProgress.objects.exists()
