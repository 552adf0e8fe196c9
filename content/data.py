"""Plain data content hands to courses: a lesson video's player data and offline files.

They are the media pipeline's own data objects (`media_pipeline.data`), named here so
that courses, which reaches media assets only through content's video block, never
imports the media pipeline.
"""

from __future__ import annotations

from media_pipeline.data import OfflineFileData, VideoAssetData

__all__ = ["OfflineFileData", "VideoAssetData"]
