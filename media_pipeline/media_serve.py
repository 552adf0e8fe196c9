"""Public media served by Django (development; nginx serves them in production with
the same lifetimes, scripts/prod/nginx.conf.template): segments, posters,
thumbnails and caption tracks have immutable names (a per-run token, a content
hash) and are cached for a year; playlists for 10 s (the master is rewritten when
captions change); anything else for an hour."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import re_path
from django.views.static import serve as static_serve

IMMUTABLE = "public, max-age=31536000, immutable"
PLAYLIST = "public, max-age=10"
DEFAULT = "public, max-age=3600"
# An SVG opened from its URL is a document: no script, nothing fetched, sandboxed
# (lesson illustrations; uploads are checked too, content.svg_check).
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def cache_control_for(path: str) -> str:
    path = path.lstrip("/")
    if path.startswith("videos/assets/"):
        return PLAYLIST if path.endswith(".m3u8") else IMMUTABLE
    if path.startswith("videos/captions/"):
        return IMMUTABLE
    return DEFAULT


def serve(request, path: str):
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control_for(path)
    if path.lower().endswith(".svg"):
        response["Content-Security-Policy"] = SVG_POLICY
    return response


def urlpatterns_for_media() -> list:
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve)]
