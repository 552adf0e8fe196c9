"""Content types the platform serves that Python's `mimetypes` gets wrong or lacks.

On Debian, `/etc/mime.types` maps `.ts` to a Qt translation type; players refuse HLS
segments served that way. Storage backends (S3 uploads) and Django's file responses
read `mimetypes`, so register the HLS/WebVTT types once at start-up.
"""

from __future__ import annotations

import mimetypes

MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".vtt": "text/vtt",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}


def register() -> None:
    for suffix, media_type in MEDIA_TYPES.items():
        mimetypes.add_type(media_type, suffix)
