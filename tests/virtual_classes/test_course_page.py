"""The course page's live-classes section (hook `maharat_course_sections`): upcoming
classes in Cairo time with a join button inside the join window, and published
recordings played through the media pipeline's player for enrolled trainees only."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from media_pipeline.models import VideoAsset
from tests.virtual_classes.test_recordings_and_jitsi_events import (  # noqa: F401
    SECRET,
    post,
    recording_bytes,
    recording_payload,
)
from virtual_classes.models import Recording

CAIRO = ZoneInfo("Africa/Cairo")
SECTION = "الحصص المباشرة"
JOIN = "انضم إلى الحصة الآن"


def page(client, course, user=None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(course.url)
    assert response.status_code == 200
    return response.content.decode()


def join_href(live_class) -> str:
    return f'href="{reverse("virtual_classes:detail", args=[live_class.pk])}"'


@pytest.fixture
def published_recording(settings, fake_jitsi, post, recording_bytes, live_class):  # noqa: F811
    """A recording through the real path: signed notification, download, media
    pipeline (ffmpeg) until the asset is published."""
    settings.JITSI_WEBHOOK_SECRET = SECRET
    settings.JITSI_RECORDINGS_BASE_URL = fake_jitsi.base_url + "/recordings/"
    settings.JITSI_APP_ID = "maharat"
    fake_jitsi.file("/recordings/class.mp4", recording_bytes)
    response = post(
        recording_payload(live_class, fake_jitsi.base_url + "/recordings/class.mp4")
    )
    assert response.status_code == 202
    recording = Recording.objects.select_related("video_asset").get()
    asset = recording.video_asset
    assert asset.status == VideoAsset.Status.READY, (
        asset.error_code,
        asset.error_params,
    )
    return recording


def test_enrolled_trainee_sees_the_class_in_cairo_time_and_joins_when_open(
    client, student, make_class, course
):
    starts = (timezone.now() + dt.timedelta(minutes=10)).replace(second=0)
    live_class = make_class(starts_at=starts, title="مراجعة الغرز")
    html = page(client, course, student)
    assert SECTION in html and "مراجعة الغرز" in html
    cairo = timezone.localtime(starts, CAIRO)
    assert f'datetime="{cairo.isoformat()}"' in html
    assert f"· {cairo:%H:%M}" in html and "(بتوقيت القاهرة)" in html
    assert JOIN in html and join_href(live_class) in html


def test_join_button_waits_for_the_join_window(client, student, make_class, course):
    starts = timezone.now() + dt.timedelta(days=2)
    live_class = make_class(starts_at=starts)
    html = page(client, course, student)
    assert JOIN not in html and join_href(live_class) not in html
    opens = timezone.localtime(starts - dt.timedelta(minutes=15), CAIRO)
    assert "يمكنك الانضمام من" in html and f"{opens:%H:%M}" in html
    assert reverse("virtual_classes:ics", args=[live_class.pk]) in html


def test_the_instructor_gets_the_join_button(client, instructor, live_class, course):
    html = page(client, course, instructor)
    assert JOIN in html and join_href(live_class) in html


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_people_not_enrolled_see_the_schedule_but_cannot_join(
    client, make_user, live_class, course, who
):
    user = make_user("trainee") if who == "outsider" else None
    html = page(client, course, user)
    assert live_class.title in html
    assert JOIN not in html and join_href(live_class) not in html
    assert "يمكن للمتدرّبين المسجّلين في الدورة الانضمام" in html


def test_past_and_ended_classes_leave_no_section(client, student, make_class, course):
    make_class(starts_at=timezone.now() - dt.timedelta(hours=3), duration_min=60)
    make_class(ended_at=timezone.now())
    html = page(client, course, student)
    assert SECTION not in html


def test_enrolled_trainee_plays_the_published_recording(
    client, student, published_recording, course
):
    asset = published_recording.video_asset
    html = page(client, course, student)
    assert "تسجيلات الحصص السابقة" in html
    assert "data-mp-player" in html and f'data-asset-id="{asset.pk}"' in html
    assert re.search(r'data-master="[^"]+\.m3u8"', html)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_people_not_enrolled_do_not_get_the_recording(
    client, make_user, published_recording, course, who
):
    user = make_user("trainee") if who == "outsider" else None
    html = page(client, course, user)
    assert "تسجيلات الحصص السابقة" not in html
    assert "data-mp-player" not in html and ".m3u8" not in html
    assert f'data-asset-id="{published_recording.video_asset_id}"' not in html


def test_a_recording_not_yet_published_is_not_offered(
    client, student, published_recording, course
):
    VideoAsset.objects.filter(pk=published_recording.video_asset_id).update(
        output_prefix="", status=VideoAsset.Status.TRANSCODING
    )
    html = page(client, course, student)
    assert "data-mp-player" not in html


def test_course_page_with_classes_and_a_recording_stays_within_60_kb(
    client, student, published_recording, make_class, course
):
    for n in range(4):
        make_class(
            starts_at=timezone.now() + dt.timedelta(days=n + 1), title=f"لقاء {n}"
        )
    html = page(client, course, student).encode()
    assert b"data-mp-player" in html
    urls = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    total = len(gzip.compress(html))
    for url in set(urls):
        body = b"".join(client.get(url.decode()).streaming_content)
        total += len(gzip.compress(body))
    assert urls, "the page links its stylesheet and the player's script"
    assert total < 60 * 1024
