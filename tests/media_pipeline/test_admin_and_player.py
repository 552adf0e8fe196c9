"""The admin (upload, progress JSON, retry, cancel) and the player include."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from media_pipeline import services
from media_pipeline.data import VideoAssetData
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import video_asset_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def asset():
    return VideoAsset.objects.create(
        title="Lesson",
        original="videos/originals/x.mp4",
        status=VideoAsset.Status.TRANSCODING,
        progress_percent=42.5,
        progress_speed=1.8,
    )


def test_progress_json_shows_percent_to_a_content_editor(client, content_editor, asset):
    client.force_login(content_editor)
    response = client.get(reverse("media_progress"), {"ids": str(asset.pk)})
    assert response.status_code == 200
    row = response.json()["assets"][0]
    assert row["percent"] == 42.5 and row["status"] == "transcoding"
    assert row["speed"] == 1.8


def test_progress_json_refuses_a_trainee(client, trainee, asset):
    client.force_login(trainee)
    response = client.get(reverse("media_progress"), {"ids": str(asset.pk)})
    assert response.status_code in (302, 403)
    assert b"42.5" not in response.content


def test_progress_json_refuses_anonymous(client, asset):
    response = client.get(reverse("media_progress"), {"ids": str(asset.pk)})
    assert response.status_code == 302


def test_progress_json_rejects_non_numeric_ids(client, content_editor):
    client.force_login(content_editor)
    response = client.get(reverse("media_progress"), {"ids": "1,abc"})
    assert response.status_code == 400


def test_cancel_from_the_admin_marks_a_running_job(client, content_editor, asset):
    client.force_login(content_editor)
    response = client.post(reverse("media_cancel", args=[asset.pk]))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.cancel_requested


def test_cancel_is_refused_to_a_reviewer(client, content_reviewer, asset):
    client.force_login(content_reviewer)
    response = client.post(reverse("media_cancel", args=[asset.pk]))
    assert response.status_code in (302, 403)
    asset.refresh_from_db()
    assert not asset.cancel_requested


def test_retry_from_the_admin_requeues_a_failed_video(
    client, content_editor, asset, django_capture_on_commit_callbacks
):
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.FAILED)
    client.force_login(content_editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("media_retry", args=[asset.pk]))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.UPLOADED and len(callbacks) == 1


def test_retry_is_refused_to_a_trainee(client, trainee, asset):
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.FAILED)
    client.force_login(trainee)
    client.post(reverse("media_retry", args=[asset.pk]))
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.FAILED


def test_admin_listing_shows_the_progress_bar(client, content_editor, asset):
    client.force_login(content_editor)
    response = client.get(reverse("wagtailsnippets_media_pipeline_videoasset:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-media-progress="{asset.pk}"' in html and "<progress" in html


def test_admin_upload_creates_the_asset_and_queues_the_pipeline(
    client, content_editor, clips, django_capture_on_commit_callbacks
):
    client.force_login(content_editor)
    upload = SimpleUploadedFile("lesson.mp4", clips["tiny"].read_bytes())
    data = {
        "title": "Uploaded",
        "original": upload,
        "captions-TOTAL_FORMS": "0",
        "captions-INITIAL_FORMS": "0",
        "captions-MIN_NUM_FORMS": "0",
        "captions-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_media_pipeline_videoasset:add"), data
        )
    assert response.status_code == 302, response.content[:2000]
    asset = VideoAsset.objects.get(title="Uploaded")
    assert asset.status == VideoAsset.Status.READY


def test_admin_upload_refuses_an_empty_file(client, content_editor):
    client.force_login(content_editor)
    data = {
        "title": "Empty",
        "original": SimpleUploadedFile("empty.mp4", b""),
        "captions-TOTAL_FORMS": "0",
        "captions-INITIAL_FORMS": "0",
        "captions-MIN_NUM_FORMS": "0",
        "captions-MAX_NUM_FORMS": "1000",
    }
    response = client.post(
        reverse("wagtailsnippets_media_pipeline_videoasset:add"), data
    )
    assert response.status_code == 200
    assert not VideoAsset.objects.filter(title="Empty").exists()


def test_player_renders_hls_sources_captions_quality_and_download(clips):
    data = services.video_asset_ingest(
        file_path=str(clips["av"]), title="Play me", run_now=True
    )
    services.caption_set(
        asset_id=data.id, language="ar", label="العربية", file_name="a.srt",
        data="1\n00:00:01,000 --> 00:00:02,000\nمرحبا\n".encode(),
    )  # fmt: skip
    data = video_asset_get(asset_id=data.id)
    html = render_to_string("media_pipeline/player.html", {"asset": data})
    assert f'data-master="{data.hls_master_url}"' in html
    assert f'data-audio="{data.audio_only_url}"' in html
    assert 'kind="captions" srclang="ar"' in html and data.captions[0][2] in html
    assert (
        'value="240p"' not in html and 'value="240"' in html and 'value="audio"' in html
    )
    assert "vendor/hls.js-1.7.4/hls.light.min.js" in html
    assert data.offline_mp4_url in html and "download" in html


def test_player_says_the_video_is_not_ready_yet():
    pending = VideoAssetData(
        title="Soon", status="transcoding", duration_s=None, poster_url=None,
        hls_master_url=None, audio_only_url=None, offline_mp4_url=None,
        offline_size_bytes=None, captions=(),
    )  # fmt: skip
    html = render_to_string("media_pipeline/player.html", {"asset": pending})
    assert "<video" not in html


def test_selector_returns_none_for_an_unknown_asset():
    assert video_asset_get(asset_id=999_999) is None
