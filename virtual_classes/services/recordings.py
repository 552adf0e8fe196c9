"""Recordings: download one from Jitsi and hand it to the media pipeline.

Run by the task ``tasks.recording_fetch`` (queued by ``jobs.py`` when a verified
RECORDING_UPLOADED notification commits); idempotent, failures recorded on the event.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import requests
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from media_pipeline.services import video_asset_ingest
from virtual_classes import jitsi
from virtual_classes.models import JitsiEvent, Recording

logger = logging.getLogger("virtual_classes.tasks")

CHUNK_BYTES = 1024 * 1024


class RecordingDownloadError(Exception):
    pass


def _download(url: str, target: Path) -> None:
    """Stream the file to disk; no redirects (they could leave the Jitsi host)."""
    limit = settings.VIRTUAL_CLASSES_RECORDING_MAX_BYTES
    with requests.get(
        url,
        stream=True,
        allow_redirects=False,
        timeout=(settings.JITSI_TIMEOUT_S, 60),
    ) as response:
        if response.status_code != 200:
            raise RecordingDownloadError(f"HTTP {response.status_code}")
        written = 0
        with target.open("wb") as fh:
            for chunk in response.iter_content(CHUNK_BYTES):
                written += len(chunk)
                if written > limit:
                    raise RecordingDownloadError("recording larger than the limit")
                fh.write(chunk)
        if written == 0:
            raise RecordingDownloadError("empty recording")


def recording_fetch(*, event_id: int) -> bool:
    """Download the event's recording and ingest it; True once the class has it
    (now or before), False when the download failed (the event says why)."""
    event = JitsiEvent.objects.select_related("live_class").get(pk=event_id)
    live_class = event.live_class
    if live_class is None:
        return False
    if Recording.objects.filter(event=event).exists():
        return True
    url = event.payload["data"]["preAuthenticatedLink"]
    if not jitsi.recording_url_allowed(url):
        _fail(event, "link not on the configured Jitsi host")
        return False
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"class-{live_class.pk}-{event.pk}.mp4"
        try:
            _download(url, target)
        except (requests.RequestException, RecordingDownloadError) as error:
            _fail(event, f"download failed: {type(error).__name__}: {error}")
            return False
        # the video's title is read aloud by screen readers (the player's label):
        # in the site's first language, like the class title it carries
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("%(title)s (recording)") % {"title": live_class.title}
        asset = video_asset_ingest(file_path=str(target), title=title)
    with transaction.atomic():
        Recording.objects.get_or_create(
            event=event,
            defaults={"live_class": live_class, "video_asset_id": asset.id},
        )
        event.status = JitsiEvent.Status.DONE
        event.error = ""
        event.save(update_fields=["status", "error"])
    return True


def _fail(event: JitsiEvent, message: str) -> None:
    logger.warning("recording %s not fetched: %s", event.pk, message)
    event.status = JitsiEvent.Status.FAILED
    event.error = message[:1000]
    event.save(update_fields=["status", "error"])
