"""The content team's workplace: videos and where their processing stands."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from lms.kernel.navigation import nav_items_for
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import video_asset_state_counts, video_asset_state_list

pytestmark = pytest.mark.django_db

URL = "/content/videos/"


def _asset(title: str, status: str, **fields) -> VideoAsset:
    asset = VideoAsset(title=title, status=status, **fields)
    asset.original.save("clip.mp4", ContentFile(b"not really a video"), save=False)
    asset.save()
    return asset


@pytest.fixture
def assets():
    return {
        "queued": _asset("مقدمة", "uploaded"),
        "running": _asset("القص", "transcoding", progress_percent=42.4),
        "ready": _asset("الخياطة", "ready"),
        "failed": _asset(
            "الكي",
            "failed",
            error_code="no_video",
        ),
    }


def test_states_are_counted_and_listed_with_the_failure_reason(assets):
    counts = video_asset_state_counts()
    assert (counts.queued, counts.processing, counts.ready, counts.failed) == (
        1,
        1,
        1,
        1,
    )
    failed = video_asset_state_list(state="failed")
    assert [v.title for v in failed] == ["الكي"]
    assert failed[0].error and failed[0].may_retry
    running = video_asset_state_list(state="processing")
    assert running[0].percent == 42.4 and not running[0].may_retry
    assert video_asset_state_list(state="nonsense") == []


def test_an_editor_sees_every_video_and_may_retry_a_failed_one(
    client, assets, content_editor
):
    client.force_login(content_editor)
    page = client.get(URL).content.decode()
    for asset in assets.values():
        assert f'data-video="{asset.pk}"' in page
    assert f'action="/cms/media/{assets["failed"].pk}/retry/"' in page
    assert f'action="/cms/media/{assets["ready"].pk}/retry/"' not in page
    assert "42%" in page
    (entry,) = [
        i for i in nav_items_for(content_editor) if i.key == "media_pipeline.videos"
    ]
    assert entry.count == 1  # the failed one


def test_the_retry_button_queues_the_video_again(client, assets, content_editor):
    failed = assets["failed"]
    client.force_login(content_editor)
    response = client.post(
        f"/cms/media/{failed.pk}/retry/", {"next": URL + "?state=failed"}
    )
    assert response.status_code == 302 and response["Location"].endswith(
        "?state=failed"
    )
    failed.refresh_from_db()
    assert failed.status != "failed"


def test_a_filter_shows_one_state(client, assets, content_reviewer):
    client.force_login(content_reviewer)
    page = client.get(URL, {"state": "ready"}).content.decode()
    assert f'data-video="{assets["ready"].pk}"' in page
    assert f'data-video="{assets["failed"].pk}"' not in page


def test_a_reviewer_sees_the_states_but_no_retry(client, assets, content_reviewer):
    client.force_login(content_reviewer)
    page = client.get(URL).content.decode()
    assert f'data-video="{assets["failed"].pk}"' in page
    assert "/retry/" not in page


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_the_video_list_is_refused_to_other_roles(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
