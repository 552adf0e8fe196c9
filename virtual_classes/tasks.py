"""Background work of live classes (django_tasks): take ids, stay idempotent."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import requests
from django.conf import settings
from django.db import transaction
from django_tasks import task

from virtual_classes import jitsi
from virtual_classes.models import JitsiEvent, Recording

logger = logging.getLogger(__name__)

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


@task()
def recording_fetch(event_id: int) -> None:
    """Download a recording from Jitsi and hand it to the media pipeline."""
    from media_pipeline.services import video_asset_ingest

    event = JitsiEvent.objects.select_related("live_class").get(pk=event_id)
    if Recording.objects.filter(event=event).exists() or event.live_class is None:
        return
    url = event.payload["data"]["preAuthenticatedLink"]
    if not jitsi.recording_url_allowed(url):
        _fail(event, "link not on the configured Jitsi host")
        return
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"class-{event.live_class_id}-{event.id}.mp4"
        try:
            _download(url, target)
        except (requests.RequestException, RecordingDownloadError) as error:
            _fail(event, f"download failed: {type(error).__name__}: {error}")
            return
        asset = video_asset_ingest(
            file_path=str(target), title=f"{event.live_class.title} (recording)"
        )
    with transaction.atomic():
        Recording.objects.get_or_create(
            event=event,
            defaults={"live_class": event.live_class, "video_asset_id": asset.id},
        )
        event.status = JitsiEvent.Status.DONE
        event.error = ""
        event.save(update_fields=["status", "error"])


def _fail(event: JitsiEvent, message: str) -> None:
    logger.warning("recording %s not fetched: %s", event.id, message)
    event.status = JitsiEvent.Status.FAILED
    event.error = message[:1000]
    event.save(update_fields=["status", "error"])


@task()
def class_reminders_due(within_min: int) -> int:
    """Send the reminders that are due; enqueued to run `within_min` before a class.

    Idempotent (each class is claimed once), so a duplicate run or the cron command
    `send_class_reminders` running as well sends nothing twice.
    """
    from virtual_classes.services import class_reminders_send

    return sum(count for _title, count in class_reminders_send(within_min=within_min))
