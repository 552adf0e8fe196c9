"""`seed_demo`'s clip: generated, run through the real pipeline, captioned, once."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage

from media_pipeline.models import VideoAsset
from media_pipeline.seeding import DEMO_VIDEO_TITLE, seed_demo_video
from media_pipeline.selectors import video_asset_demo_get


@pytest.mark.django_db
def test_seed_makes_one_ready_demo_video_with_every_output_once():
    seed_demo_video(io.StringIO())
    seed_demo_video(io.StringIO())

    assert VideoAsset.objects.filter(title=DEMO_VIDEO_TITLE).count() == 1
    data = video_asset_demo_get()
    assert data is not None and data.status == VideoAsset.Status.READY
    assert [r.height for r in data.renditions] == [240, 360]
    assert data.audio_only_url and data.offline_mp4_url and data.poster_url
    assert [language for language, _label, _url in data.captions] == ["ar"]
    caption = VideoAsset.objects.get(pk=data.id).captions.get().file
    assert default_storage.open(caption.name).read().startswith(b"WEBVTT")
    assert 5 <= data.duration_s <= 7


@pytest.mark.django_db
def test_demo_video_is_not_handed_out_before_it_is_ready():
    VideoAsset.objects.create(title=DEMO_VIDEO_TITLE)
    assert video_asset_demo_get() is None
