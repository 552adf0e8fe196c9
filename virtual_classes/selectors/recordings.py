"""Reads about recordings: only for those who may see them."""

from __future__ import annotations

from media_pipeline.selectors import video_asset_get
from virtual_classes.data import PlayableRecording, RecordingData, Viewer
from virtual_classes.models import Recording
from virtual_classes.selectors.classes import recording_data
from virtual_classes.selectors.permissions import may_see_recordings


def recordings_for_course(
    *, course_id: int, user: Viewer | None
) -> list[RecordingData]:
    """Published recordings of a course's classes, for enrolled trainees, teachers,
    staff (the instructor's own list is ``teaching.recordings_taught``)."""
    if not may_see_recordings(user=user, course_id=course_id):
        return []
    qs = Recording.objects.filter(
        live_class__course_id=course_id, published=True
    ).select_related("live_class")
    return [recording_data(r) for r in qs]


def course_playable_recordings(
    *, course_id: int, user: Viewer | None, limit: int = 6
) -> list[PlayableRecording]:
    """The newest recordings the media pipeline has published, for the people who
    may see them (enrolled trainees, teachers, staff); nobody else gets one."""
    if not may_see_recordings(user=user, course_id=course_id):
        return []
    qs = (
        Recording.objects.filter(live_class__course_id=course_id, published=True)
        .select_related("live_class")
        .order_by("-created_at", "-id")
    )
    playable: list[PlayableRecording] = []
    for r in qs[: limit * 2]:
        asset = video_asset_get(asset_id=r.video_asset_id)
        if asset is None or not asset.hls_master_url:
            continue  # still being transcoded, or failed: nothing to play yet
        playable.append(PlayableRecording(recording=recording_data(r), asset=asset))
        if len(playable) >= limit:
            break
    return playable
