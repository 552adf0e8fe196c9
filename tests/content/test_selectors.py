"""content.selectors: the one way lessons (and courses) reach media assets."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from content import selectors
from content.blocks import VideoBlock
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import DEMO_VIDEO_TITLE

pytestmark = pytest.mark.django_db


def test_video_get_is_the_pipelines_data_and_none_for_an_unknown_asset():
    asset = VideoAsset.objects.create(title="درس القص", original="videos/x.mp4")
    data = selectors.video_get(asset_id=asset.pk)
    assert (data.id, data.title) == (asset.pk, "درس القص")
    assert not data.is_playable  # nothing published yet
    assert selectors.video_get(asset_id=asset.pk + 1000) is None


def test_a_video_not_ready_has_no_offline_files():
    asset = VideoAsset.objects.create(title="x", original="videos/x.mp4")
    assert selectors.video_offline_files(asset_id=asset.pk) == ()


def test_the_demo_clip_only_once_it_is_ready():
    asset = VideoAsset.objects.create(title=DEMO_VIDEO_TITLE, original="videos/d.mp4")
    assert selectors.video_demo_get() is None
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.READY)
    assert selectors.video_demo_get().id == asset.pk


def test_the_video_block_renders_a_being_prepared_note_until_playable():
    asset = VideoAsset.objects.create(title="x", original="videos/x.mp4")
    block = VideoBlock()
    value = block.to_python({"video": asset.pk, "caption": "قص القماش"})
    context = block.get_context(value)
    assert context["asset"].id == asset.pk and context["asset_id"] == asset.pk
    html = render_to_string("content/blocks/video.html", context)
    assert f'data-asset-id="{asset.pk}"' in html and "قص القماش" in html
