"""Reads about what lessons are made of: the media assets of their video blocks.

The video block is the one place a lesson meets a media asset (DESIGN.md: content uses
media assets, courses uses content). Courses asks here for a lesson video's player
data (its duration bounds a heartbeat), the files it needs offline and the demo clip
for its demo lesson; only this module and the block call media_pipeline. The content
team's workplace reads the pages in review here (`review.py`), and courses' search
the trades' synonyms (`search_synonym_groups`).
"""

from __future__ import annotations

from content import review
from content.data import OfflineFileData, PageInReviewData, VideoAssetData
from content.models import TradeSynonyms, parse_groups
from lms.kernel.text import normalise_query
from media_pipeline import selectors as media


def video_get(*, asset_id: int) -> VideoAssetData | None:
    """The player's data for a lesson video (None for an unknown asset)."""
    return media.video_asset_get(asset_id=asset_id)


def video_duration_get(*, asset_id: int) -> float | None:
    """A lesson video's duration in seconds (None while unknown)."""
    return media.video_asset_duration_get(asset_id=asset_id)


def video_offline_files(*, asset_id: int) -> tuple[OfflineFileData, ...]:
    """What playing a lesson video with no connection needs (empty until ready)."""
    return media.video_asset_offline_files(asset_id=asset_id)


def video_demo_get() -> VideoAssetData | None:
    """The media pipeline's demo clip once it is ready (for courses' demo lesson)."""
    return media.video_asset_demo_get()


def pages_to_review(*, user_id: int) -> tuple[PageInReviewData, ...]:
    """Pages waiting for this person's review (Wagtail's moderation rule)."""
    return review.pages_to_review(user_id=user_id)


def pages_to_review_count(*, user_id: int) -> int:
    return review.pages_to_review_count(user_id=user_id)


def pages_submitted_by(*, user_id: int) -> tuple[PageInReviewData, ...]:
    """This person's own pages in review, and where each waits."""
    return review.pages_submitted_by(user_id=user_id)


def search_synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Every trade's synonym groups, each term folded the platform's way
    (`normalise_query`: what search compares), in one small query. A term may be in
    several groups (تبريد: air conditioning and fridges)."""
    groups: list[tuple[str, ...]] = []
    for text in TradeSynonyms.objects.values_list("groups", flat=True):
        for terms in parse_groups(text):
            folded = tuple(dict.fromkeys(t for t in map(normalise_query, terms) if t))
            if len(folded) >= 2 and folded not in groups:
                groups.append(folded)
    return tuple(groups)
