"""Plain data handed to other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RenditionData:
    name: str
    height: int
    bandwidth: int
    url: str


@dataclass(frozen=True)
class VideoAssetData:
    title: str
    status: str
    duration_s: float | None
    poster_url: str | None
    hls_master_url: str | None
    audio_only_url: str | None
    offline_mp4_url: str | None
    offline_size_bytes: int | None
    captions: tuple[tuple[str, str, str], ...]  # (language, label, url)
    id: int | None = None
    thumbnails_url: str | None = None
    renditions: tuple[RenditionData, ...] = ()

    @property
    def is_playable(self) -> bool:
        return bool(self.hls_master_url)


@dataclass(frozen=True)
class SlideData:
    """One slide of a narrated slideshow: its picture (SVG, drawn 16:9) and the
    sentences read over it, each one caption cue."""

    svg: bytes
    narration: tuple[str, ...]


@dataclass(frozen=True)
class OfflineFileData:
    """One file a video needs to play without a connection, with its size."""

    url: str
    size_bytes: int


@dataclass(frozen=True)
class CaptionData:
    """One caption track of an asset."""

    language: str
    label: str
    url: str


@dataclass(frozen=True)
class AssetProgressData:
    """Where one asset's run stands, for the admin's live progress bars."""

    id: int
    status: str
    status_label: str
    percent: float
    speed: float | None
    error: str


@dataclass(frozen=True)
class OriginalFileData:
    """The stored original of an asset (private: served only through a check)."""

    name: str  # its name in the private store
    title: str


@dataclass(frozen=True)
class VideoStateData:
    """One video as the content team's workplace lists it: where its processing
    stands and, when it failed, why (in the reader's language)."""

    id: int
    title: str
    status: str
    status_label: str
    percent: float
    error: str
    updated_at: dt.datetime
    may_retry: bool  # failed or cancelled: `services.video_asset_retry` runs it again


@dataclass(frozen=True)
class VideoStateCounts:
    """How many videos are queued, processing, ready and failed."""

    queued: int = 0
    processing: int = 0
    ready: int = 0
    failed: int = 0
