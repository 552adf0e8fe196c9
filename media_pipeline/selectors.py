"""Reads other apps (and the admin) need from the media pipeline."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.db.models import Count
from django.templatetags.static import static

from media_pipeline.data import (
    AssetProgressData,
    OfflineFileData,
    OriginalFileData,
    RenditionData,
    VideoAssetData,
    VideoStateCounts,
    VideoStateData,
)
from media_pipeline.ffmpeg_ops import MASTER_PLAYLIST
from media_pipeline.models import VideoAsset

PLAYER_STATIC_FILES = ("media_pipeline/player.js",)
# The clip `seed_demo` makes (seeding.py) is found by its title.
DEMO_VIDEO_TITLE = "عرض توضيحي: ماكينة الخياطة"


def video_asset_data(asset: VideoAsset) -> VideoAssetData:
    """An asset as plain data; URLs are None until an output has been published."""
    url = asset.published_url
    return VideoAssetData(
        id=asset.pk,
        title=asset.title,
        status=asset.status,
        duration_s=asset.duration_s,
        poster_url=url(asset.poster_name),
        hls_master_url=url(MASTER_PLAYLIST if asset.output_prefix else ""),
        audio_only_url=url(asset.audio_only_playlist),
        offline_mp4_url=url(asset.offline_mp4_name),
        offline_size_bytes=asset.offline_size_bytes if asset.output_prefix else None,
        captions=tuple(
            (c.language, c.label, c.file.url) for c in asset.captions.all() if c.file
        ),
        thumbnails_url=url(asset.thumbnails_name),
        renditions=tuple(
            RenditionData(
                name=r["name"],
                height=r["height"],
                bandwidth=r["bandwidth"],
                url=url(r["playlist"]) or "",
            )
            for r in (asset.renditions if asset.output_prefix else [])
            if r.get("height")  # the audio-only row is the audio_only_url
        ),
    )


def video_asset_get(*, asset_id: int) -> VideoAssetData | None:
    asset = VideoAsset.objects.prefetch_related("captions").filter(pk=asset_id).first()
    return video_asset_data(asset) if asset else None


def video_asset_duration_get(*, asset_id: int) -> float | None:
    """An asset's duration in seconds (None if unknown): one column, for the lesson
    heartbeat, which needs nothing else of the asset."""
    return (
        VideoAsset.objects.filter(pk=asset_id)
        .values_list("duration_s", flat=True)
        .first()
    )


def video_asset_demo_get() -> VideoAssetData | None:
    """The demo clip `seed_demo` made, once it is ready (for other apps' demo data)."""
    asset = (
        VideoAsset.objects.prefetch_related("captions")
        .filter(title=DEMO_VIDEO_TITLE, status=VideoAsset.Status.READY)
        .order_by("pk")
        .first()
    )
    return video_asset_data(asset) if asset else None


def video_asset_progress_list(*, asset_ids: list[int]) -> list[AssetProgressData]:
    """Status and progress of some assets (200 at most), for the admin's live
    progress bars."""
    rows = VideoAsset.objects.filter(pk__in=asset_ids[:200])
    return [
        AssetProgressData(
            id=a.pk,
            status=a.status,
            status_label=str(a.get_status_display()),
            percent=round(a.progress_percent, 1),
            speed=a.progress_speed,
            error=a.error_message,
        )
        for a in rows
    ]


# The workplace's groups of states: waiting for a worker, in a worker, done, not done.
STATE_GROUPS = {
    "queued": (VideoAsset.Status.UPLOADED,),
    "processing": VideoAsset.RUNNING,
    "ready": (VideoAsset.Status.READY,),
    "failed": (VideoAsset.Status.FAILED, VideoAsset.Status.CANCELLED),
}


def video_asset_state_list(
    *, state: str = "", limit: int = 100
) -> list[VideoStateData]:
    """Videos newest first, optionally of one group of `STATE_GROUPS` (an unknown
    group lists nothing), for the content team's workplace."""
    rows = VideoAsset.objects.defer("stderr_tail", "renditions").order_by(
        "-created_at", "-pk"
    )
    if state:
        rows = rows.filter(status__in=STATE_GROUPS.get(state, ()))
    return [
        VideoStateData(
            id=a.pk,
            title=a.title,
            status=a.status,
            status_label=str(a.get_status_display()),
            percent=round(a.progress_percent, 1),
            error=a.error_message,
            updated_at=a.updated_at,
            may_retry=a.status in STATE_GROUPS["failed"],
        )
        for a in rows[:limit]
    ]


def video_asset_state_counts() -> VideoStateCounts:
    """How many videos are in each group of `STATE_GROUPS` (one query)."""
    by_status = dict(
        VideoAsset.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    return VideoStateCounts(
        **{
            group: sum(by_status.get(s, 0) for s in statuses)
            for group, statuses in STATE_GROUPS.items()
        }
    )


def video_asset_original_get(*, asset_id: int) -> OriginalFileData | None:
    """The stored original of an asset (None if the asset or its file is gone)."""
    asset = VideoAsset.objects.only("title", "original").filter(pk=asset_id).first()
    if asset is None or not asset.original:
        return None
    return OriginalFileData(name=asset.original.name, title=asset.title)


def video_asset_title_get(*, asset_id: int) -> str | None:
    """An asset's title, or None for an unknown asset."""
    return (
        VideoAsset.objects.filter(pk=asset_id).values_list("title", flat=True).first()
    )


def _stored_size(name: str) -> int:
    try:
        return default_storage.size(name)
    except (OSError, NotImplementedError):
        return 0


def _static_size(name: str) -> int:
    path = finders.find(name)
    if path:
        return Path(path).stat().st_size
    try:
        return staticfiles_storage.size(name)
    except (OSError, NotImplementedError, ValueError):
        return 0


def video_asset_offline_files(*, asset_id: int) -> tuple[OfflineFileData, ...]:
    """What playing a video with no connection needs: the small offline MP4, its
    poster, its caption tracks and the player script (empty until the asset is ready
    with an offline MP4)."""
    asset = VideoAsset.objects.prefetch_related("captions").filter(pk=asset_id).first()
    if asset is None or not (asset.output_prefix and asset.offline_mp4_name):
        return ()
    prefix = asset.output_prefix
    files = [
        OfflineFileData(
            url=asset.published_url(asset.offline_mp4_name),
            size_bytes=asset.offline_size_bytes
            or _stored_size(f"{prefix}/{asset.offline_mp4_name}"),
        )
    ]
    if asset.poster_name:
        files.append(
            OfflineFileData(
                url=asset.published_url(asset.poster_name),
                size_bytes=_stored_size(f"{prefix}/{asset.poster_name}"),
            )
        )
    for caption in asset.captions.all():
        if caption.file:
            files.append(
                OfflineFileData(
                    url=caption.file.url, size_bytes=_stored_size(caption.file.name)
                )
            )
    files.extend(
        OfflineFileData(url=static(name), size_bytes=_static_size(name))
        for name in PLAYER_STATIC_FILES
    )
    return tuple(files)
