"""Writes about what lessons are made of: a lesson video made from narrated slides.

Like `content.selectors`, the one way courses reaches media assets (its demo data
makes each trade's demonstration video through here).
"""

from __future__ import annotations

from collections.abc import Sequence

from content.data import SlideData, VideoAssetData
from media_pipeline import services as media


def video_from_slides(
    *,
    title: str,
    slides: Sequence[SlideData],
    caption_language: str,
    caption_label: str,
    voice: str,
) -> VideoAssetData:
    """The video of this title, made from SVG slides read aloud (captioned), its
    processing enqueued in the background; an existing one is returned as it is.
    Raises `lms.kernel.errors.Invalid` when it cannot be made (e.g. a tool missing)."""
    return media.video_asset_from_slides(
        title=title,
        slides=slides,
        caption_language=caption_language,
        caption_label=caption_label,
        voice=voice,
    )
