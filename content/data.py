"""Plain data content hands out: a lesson video's player data and offline files (to
courses), the slides a narrated lesson video is made of, and the pages in review (to
the content team's workplace).

They are the media pipeline's own data objects (`media_pipeline.data`), named here so
that courses, which reaches media assets only through content's video block, never
imports the media pipeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from media_pipeline.data import OfflineFileData, SlideData, VideoAssetData

__all__ = ["OfflineFileData", "PageInReviewData", "SlideData", "VideoAssetData"]


@dataclass(frozen=True)
class PageInReviewData:
    """A page in the review workflow: which task it waits at, who sent it and when,
    and where to open it (Wagtail's editor, where the review's actions are)."""

    page_id: int
    title: str
    task_name: str
    requested_by: str
    submitted_at: dt.datetime
    edit_url: str
    preview_url: str
