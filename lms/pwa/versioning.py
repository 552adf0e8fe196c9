"""The service worker's precache list and the cache version derived from it.

The version is a hash of the precached static files' contents (plus, in production, the
static files manifest), so every deployment that changes a shell file gets a new cache
name and the service worker drops the old caches when it activates.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

# Static files every page needs (the app shell). Other apps' files are cached at run
# time, cache-first, the first time a page uses them.
SHELL_STATIC_FILES: tuple[str, ...] = (
    "lms/site.css",
    "lms/offline.js",
    "pwa/icon.svg",
    "pwa/icon-192.png",
    "pwa/icon-512.png",
)
SW_TEMPLATE = Path(__file__).parent / "templates" / "pwa" / "sw.js"


def _static_bytes(name: str) -> bytes:
    """The deployed bytes of one static file (collected copy first, then finders)."""
    try:
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as fh:
                return fh.read()
    except (OSError, ValueError):
        pass
    path = finders.find(name)
    if not path:
        return b"missing:" + name.encode()
    return Path(path).read_bytes()


def _manifest_bytes() -> bytes:
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if not manifest_name:
        return b""
    try:
        with staticfiles_storage.open(manifest_name) as fh:
            return fh.read()
    except (OSError, ValueError):
        return b""


def compute_cache_version() -> str:
    digest = hashlib.sha256()
    digest.update(SW_TEMPLATE.read_bytes())
    for name in SHELL_STATIC_FILES:
        digest.update(name.encode())
        digest.update(_static_bytes(name))
    digest.update(_manifest_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _deployed_cache_version() -> str:
    return compute_cache_version()


def cache_version() -> str:
    """Short hash naming this deployment's shell cache; recomputed per call in DEBUG."""
    if settings.DEBUG:
        return compute_cache_version()
    return _deployed_cache_version()


def shell_static_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC_FILES]
