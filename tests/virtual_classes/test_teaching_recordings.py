"""The instructor's recordings: their video's state, publish and withdraw."""

from __future__ import annotations

import uuid

import pytest

from media_pipeline.models import VideoAsset
from tests.virtual_classes.test_course_page import (  # noqa: F401
    page,
    published_recording,
)
from tests.virtual_classes.test_recordings_and_jitsi_events import (  # noqa: F401
    post,
    recording_bytes,
)
from virtual_classes import selectors, services
from virtual_classes.models import JitsiEvent, Recording

PAGE = "/classes/recordings/"


@pytest.fixture
def recording(live_class):
    asset = VideoAsset.objects.create(
        title="تسجيل", original="videos/r.mp4", status=VideoAsset.Status.TRANSCODING
    )
    event = JitsiEvent.objects.create(
        idempotency_key=uuid.uuid4().hex,
        event_type="RECORDING_UPLOADED",
        live_class=live_class,
        payload={},
    )
    return Recording.objects.create(
        live_class=live_class, event=event, video_asset=asset
    )


def test_the_instructor_sees_each_recording_with_its_videos_state(
    client, instructor, recording
):
    client.force_login(instructor)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "لقاء مباشر" in html  # the class's title
    assert "status-pending" in html and "منشور" in html
    (row,) = selectors.recordings_taught(user=instructor)
    assert row.status == "transcoding" and not row.playable


def test_an_instructor_of_another_course_sees_none_and_cannot_publish(
    client, make_user, recording
):
    stranger = make_user("instructor")
    assert selectors.recordings_taught(user=stranger) == []
    client.force_login(stranger)
    response = client.post(
        f"/classes/recordings/{recording.pk}/publish/", {"published": "0"}
    )
    assert response.status_code == 403
    recording.refresh_from_db()
    assert recording.published


@pytest.mark.parametrize("role", ["trainee", "assessor"])
def test_the_recordings_page_is_refused_to_other_roles(
    client, make_user, recording, role
):
    client.force_login(make_user(role))
    assert client.get(PAGE).status_code == 403
    response = client.post(
        f"/classes/recordings/{recording.pk}/publish/", {"published": "0"}
    )
    assert response.status_code == 403


def test_publishing_an_unknown_recording_is_a_404(client, instructor):
    client.force_login(instructor)
    response = client.post("/classes/recordings/999999/publish/", {"published": "1"})
    assert response.status_code == 404


def test_publish_needs_a_post(client, instructor, recording):
    client.force_login(instructor)
    response = client.get(f"/classes/recordings/{recording.pk}/publish/")
    assert response.status_code == 405


def test_a_withdrawn_recording_is_hidden_from_trainees_only(
    client, instructor, student, recording, course
):
    services.recording_publish_set(
        user=instructor, recording_id=recording.pk, published=False
    )
    assert selectors.recordings_for_course(course_id=course.id, user=student) == []
    client.force_login(student)
    class_page = client.get(f"/classes/{recording.live_class_id}/").content.decode()
    assert "تسجيل يوم" not in class_page
    client.force_login(instructor)
    class_page = client.get(f"/classes/{recording.live_class_id}/").content.decode()
    assert "تسجيل يوم" in class_page  # the instructor still sees it
    (row,) = selectors.recordings_taught(user=instructor)
    assert row.recording.published is False
    services.recording_publish_set(
        user=instructor, recording_id=recording.pk, published=True
    )
    assert len(selectors.recordings_for_course(course_id=course.id, user=student)) == 1


def test_withdrawing_a_played_recording_takes_it_off_the_course_page(
    client,
    instructor,
    student,
    course,
    published_recording,  # noqa: F811
):
    assert "data-mp-player" in page(client, course, student)
    client.force_login(instructor)
    response = client.post(
        f"/classes/recordings/{published_recording.pk}/publish/", {"published": "0"}
    )
    assert response.status_code == 302
    html = page(client, course, student)
    assert "data-mp-player" not in html and ".m3u8" not in html
