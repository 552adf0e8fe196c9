"""Notifications from Jitsi: signed, idempotent, downloads only from the Jitsi host."""

from __future__ import annotations

import json

import pytest

from lms.kernel.private_files import private_storage
from media_pipeline.models import VideoAsset
from virtual_classes import jitsi
from virtual_classes.models import AttendanceInterval, JitsiEvent, Recording
from virtual_classes.selectors import recordings_for_course

URL = "/api/v1/classes/jitsi/events/"
SECRET = "webhook-secret-for-tests"


@pytest.fixture(autouse=True)
def webhook_settings(settings, fake_jitsi):
    settings.JITSI_WEBHOOK_SECRET = SECRET
    settings.JITSI_RECORDINGS_BASE_URL = fake_jitsi.base_url + "/recordings/"
    settings.JITSI_APP_ID = "maharat"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST a signed notification; run what was deferred to after the commit."""

    def post(payload, secret=SECRET):
        body = json.dumps(payload).encode()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                URL,
                body,
                content_type="application/json",
                headers={jitsi.SIGNATURE_HEADER: jitsi.sign_body(body, secret)},
            )

    return post


@pytest.fixture(scope="session")
def recording_bytes(tmp_path_factory) -> bytes:
    """A real (tiny) recording: the media pipeline refuses anything else."""
    import subprocess

    path = tmp_path_factory.mktemp("recording") / "class.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440",
            "-t",
            "1",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path.read_bytes()


def recording_payload(live_class, link, key="rec-1"):
    return {
        "idempotencyKey": key,
        "eventType": "RECORDING_UPLOADED",
        "sessionId": "s1",
        "timestamp": 1764400000000,
        "fqn": f"maharat/{live_class.room_name}",
        "data": {"preAuthenticatedLink": link},
    }


def test_signed_recording_notification_hands_the_file_to_the_media_pipeline(
    post, live_class, fake_jitsi, recording_bytes
):
    fake_jitsi.file("/recordings/class.mp4", recording_bytes)
    response = post(
        recording_payload(live_class, fake_jitsi.base_url + "/recordings/class.mp4")
    )
    assert response.status_code == 202
    recording = Recording.objects.get()
    assert recording.live_class == live_class
    assert recording.video_asset.title.startswith(live_class.title)
    assert JitsiEvent.objects.get().status == JitsiEvent.Status.DONE
    original = VideoAsset.objects.get(pk=recording.video_asset_id).original
    assert type(original.storage) is type(private_storage())  # the private store
    assert original.storage.open(original.name).read() == recording_bytes
    assert f"class-{live_class.pk}" not in original.name  # unguessable


def test_the_same_notification_twice_creates_one_recording(
    post, live_class, fake_jitsi, recording_bytes
):
    fake_jitsi.file("/recordings/class.mp4", recording_bytes)
    payload = recording_payload(
        live_class, fake_jitsi.base_url + "/recordings/class.mp4"
    )
    assert post(payload).status_code == 202
    again = post(payload)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Recording.objects.count() == 1
    assert sum(1 for r in fake_jitsi.requests if r.startswith("/recordings/")) == 1


def test_enrolled_trainee_sees_the_recording_and_outsider_does_not(
    post, live_class, fake_jitsi, student, make_user, recording_bytes
):
    fake_jitsi.file("/recordings/class.mp4", recording_bytes)
    post(recording_payload(live_class, fake_jitsi.base_url + "/recordings/class.mp4"))
    assert len(recordings_for_course(course_id=live_class.course_id, user=student)) == 1
    outsider = make_user("trainee")
    assert recordings_for_course(course_id=live_class.course_id, user=outsider) == []


def test_notification_with_a_bad_signature_is_refused(post, live_class, fake_jitsi):
    payload = recording_payload(live_class, fake_jitsi.base_url + "/recordings/x.mp4")
    response = post(payload, secret="wrong")
    assert response.status_code == 403
    assert response.json()["code"] == "bad_signature"
    assert not JitsiEvent.objects.exists()


def test_notification_without_a_signature_is_refused(client, live_class):
    response = client.post(URL, b"{}", content_type="application/json")
    assert response.status_code == 403


def test_notifications_are_refused_when_no_secret_is_configured(
    post, live_class, fake_jitsi, settings
):
    settings.JITSI_WEBHOOK_SECRET = ""
    payload = recording_payload(live_class, fake_jitsi.base_url + "/recordings/x.mp4")
    assert post(payload, secret="").status_code == 403


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/recordings/x.mp4",
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
    ],
)
def test_recording_link_off_the_jitsi_host_is_refused(post, live_class, link):
    response = post(recording_payload(live_class, link))
    assert response.status_code == 400
    assert not Recording.objects.exists() and not JitsiEvent.objects.exists()


def test_recording_link_outside_the_recordings_path_is_refused(
    post, live_class, fake_jitsi
):
    link = fake_jitsi.base_url + "/admin/secret.mp4"
    assert post(recording_payload(live_class, link)).status_code == 400


def test_recording_that_cannot_be_downloaded_is_marked_failed(
    post, live_class, fake_jitsi
):
    link = fake_jitsi.base_url + "/recordings/missing.mp4"  # 404
    assert post(recording_payload(live_class, link)).status_code == 202
    event = JitsiEvent.objects.get()
    assert event.status == JitsiEvent.Status.FAILED and "404" in event.error
    assert not Recording.objects.exists()


def test_malformed_notification_is_refused_with_a_reason(post):
    response = post({"eventType": "RECORDING_UPLOADED", "data": {}})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "idempotencyKey" in body["message"]


def test_body_that_is_not_json_is_refused(client):
    body = b"not json"
    response = client.post(
        URL,
        body,
        content_type="application/json",
        headers={jitsi.SIGNATURE_HEADER: jitsi.sign_body(body, SECRET)},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_participant_joined_and_left_become_a_jitsi_attendance_interval(
    post, live_class, student
):
    base = {"fqn": f"maharat/{live_class.room_name}", "sessionId": "s"}
    data = {"id": str(student.id), "participantId": "p1", "name": "x"}
    start_ms = int(live_class.starts_at.timestamp() * 1000)
    joined = {
        **base,
        "idempotencyKey": "j1",
        "eventType": "PARTICIPANT_JOINED",
        "timestamp": start_ms,
        "data": data,
    }
    left = {
        **base,
        "idempotencyKey": "l1",
        "eventType": "PARTICIPANT_LEFT",
        "timestamp": start_ms + 20 * 60 * 1000,
        "data": data,
    }
    assert post(joined).status_code == 202
    assert post(left).status_code == 202
    interval = AttendanceInterval.objects.get()
    assert interval.source == AttendanceInterval.Source.JITSI
    assert (interval.left_at - interval.joined_at).total_seconds() == 20 * 60


def test_participant_event_for_someone_not_enrolled_is_ignored(
    post, live_class, trainee
):
    payload = {
        "idempotencyKey": "j2",
        "eventType": "PARTICIPANT_JOINED",
        "fqn": f"maharat/{live_class.room_name}",
        "timestamp": 1,
        "data": {"id": str(trainee.id)},
    }
    assert post(payload).status_code == 202
    assert JitsiEvent.objects.get().status == JitsiEvent.Status.IGNORED
    assert not AttendanceInterval.objects.exists()
