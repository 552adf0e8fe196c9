"""Use cases that write: ingest, enqueue, retry, cancel, requeue stale, captions,
narrated slideshows.

Refusals are coded errors from `lms.kernel.errors` (Invalid: a file or value that is
wrong, with the reason as its code; Conflict: not in a state to do it; NotFound).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Conflict, Invalid, NotFound
from lms.kernel.tasks import enqueue_on_commit
from media_pipeline import ffmpeg_ops, jobs, slideshow, storage_ops
from media_pipeline.captions import caption_text_to_webvtt
from media_pipeline.data import CaptionData, SlideData, VideoAssetData
from media_pipeline.models import Caption, VideoAsset, caption_name
from media_pipeline.selectors import video_asset_get

Status = VideoAsset.Status


def _new_token() -> str:
    return uuid.uuid4().hex


def _asset(asset_id: int, *, lock: bool = False) -> VideoAsset:
    assets = VideoAsset.objects.all()
    if lock:
        assets = assets.select_for_update()
    asset = assets.filter(pk=asset_id).first()
    if asset is None:
        raise NotFound(_("This video does not exist."), code="asset_not_found")
    return asset


@transaction.atomic
def video_asset_enqueue(*, asset_id: int, run_now: bool = False) -> str:
    """Start a fresh run (new job token); the task is enqueued once this commits."""
    from media_pipeline.tasks import process_video_asset

    asset = _asset(asset_id, lock=True)
    token = _new_token()
    asset.job_token = token
    asset.status = Status.UPLOADED
    asset.cancel_requested = False
    asset.progress_percent = 0
    asset.progress_speed = None
    asset.heartbeat_at = None
    asset.error_code, asset.error_params, asset.stderr_tail = "", {}, ""
    asset.save()
    if not run_now:
        enqueue_on_commit(process_video_asset, asset_id, token)
    return token


def video_asset_ingest(
    *, file_path: str, title: str, run_now: bool = False
) -> VideoAssetData:
    """Probe a local file, store it privately as a new asset, and run its pipeline.

    A refused file raises Invalid (code = the refusal reason) and creates nothing.
    """
    path = Path(file_path)
    if not path.is_file():
        raise Invalid(_("No such file: %(path)s") % {"path": file_path}, code="missing")
    if not title.strip():
        raise Invalid(_("A title is required."), code="title")
    try:
        ffmpeg_ops.probe(path)
    except ffmpeg_ops.MediaRejected as exc:
        raise Invalid(exc.message, code=exc.code) from exc
    with transaction.atomic():
        asset = VideoAsset(title=title.strip()[:255])
        with path.open("rb") as fh:
            asset.original.save(path.name, File(fh), save=False)
        asset.save()
        token = video_asset_enqueue(asset_id=asset.pk, run_now=run_now)
    if run_now:
        jobs.run_job(asset_id=asset.pk, job_token=token)
    data = video_asset_get(asset_id=asset.pk)
    assert data is not None
    return data


def video_asset_retry(*, asset_id: int, run_now: bool = False) -> str:
    """Run a failed, cancelled or stuck asset again from a clean slate."""
    asset = _asset(asset_id)
    if asset.status in VideoAsset.RUNNING and not _is_stale(asset):
        raise Conflict(
            _("This video is being processed now; cancel it first."), code="running"
        )
    token = video_asset_enqueue(asset_id=asset_id, run_now=run_now)
    if run_now:
        jobs.run_job(asset_id=asset_id, job_token=token)
    return token


@transaction.atomic
def video_asset_cancel(*, asset_id: int) -> None:
    """Cancel a queued run at once, or ask a running one to stop (it cleans up)."""
    asset = _asset(asset_id, lock=True)
    if asset.status == Status.UPLOADED:
        asset.status = Status.CANCELLED
        asset.error_code = "cancelled"
        asset.job_token = ""  # the queued task finds no matching run and exits
        asset.save()
        return
    if asset.status not in VideoAsset.RUNNING:
        raise Conflict(
            _("Only a queued or running video can be cancelled."), code="not_running"
        )
    asset.cancel_requested = True
    asset.save(update_fields=["cancel_requested", "updated_at"])


def _is_stale(asset: VideoAsset, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    last = asset.heartbeat_at or asset.updated_at
    return now - last > dt.timedelta(seconds=settings.MEDIA_STALE_AFTER_S)


def video_asset_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Find runs whose worker stopped beating; retry them, or give up after N tries."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.MEDIA_STALE_AFTER_S)
    requeued = []
    candidates = VideoAsset.objects.filter(
        status__in=VideoAsset.RUNNING, heartbeat_at__lt=cutoff
    ).values_list("pk", flat=True)
    for asset_id in list(candidates):
        if _requeue_one(asset_id, cutoff):
            requeued.append(asset_id)
    return requeued


@transaction.atomic
def _requeue_one(asset_id: int, cutoff: dt.datetime) -> bool:
    asset = VideoAsset.objects.select_for_update().get(pk=asset_id)
    if asset.status not in VideoAsset.RUNNING or (
        asset.heartbeat_at and asset.heartbeat_at >= cutoff
    ):
        return False  # it moved on while we looked
    if asset.cancel_requested:
        asset.status, asset.error_code, asset.job_token = (
            Status.CANCELLED,
            "cancelled",
            "",
        )
        asset.save()
        return False
    if asset.attempts >= settings.MEDIA_MAX_ATTEMPTS:
        asset.status = Status.FAILED
        asset.error_code = "gave_up"
        asset.error_params = {"attempts": str(asset.attempts)}
        asset.job_token = ""
        asset.save()
        return False
    video_asset_enqueue(asset_id=asset_id)
    return True


def video_asset_delete(*, asset_id: int) -> None:
    """Delete an asset; its original, outputs and captions go once this commits."""
    VideoAsset.objects.filter(pk=asset_id).delete()


@transaction.atomic
def caption_set(
    *, asset_id: int, language: str, label: str, file_name: str, data: bytes
) -> CaptionData:
    """Add or replace the caption track of one language (SRT becomes WebVTT).

    Raises Invalid for a bad language code or caption file (code = the reason).
    """
    language = language.strip().lower()
    if not language or len(language) > 16:
        raise Invalid(_("Give a language code such as ar or en."), code="language")
    try:
        vtt = caption_text_to_webvtt(name=file_name, data=data)
    except ValidationError as exc:  # the admin form's validator: the same reasons
        raise Invalid.from_validation_error(exc) from exc
    asset = _asset(asset_id)
    caption = Caption.objects.filter(asset=asset, language=language).first()
    caption = caption or Caption(asset=asset, language=language)
    caption.label = (label or language).strip()[:64]
    old = caption.file.name if caption.file else ""
    body = vtt.encode("utf-8")
    caption.file.save(
        caption_name(language, body),  # content-addressed: cached for a year
        ContentFile(body),
        save=False,
    )
    caption.save()
    if old:
        transaction.on_commit(lambda: storage_ops.default_storage.delete(old))
    return CaptionData(
        language=caption.language, label=caption.label, url=caption.file.url
    )


def video_asset_from_slides(
    *,
    title: str,
    slides: Sequence[SlideData],
    caption_language: str,
    caption_label: str,
    voice: str,
    cache_dir: Path | None = None,
) -> VideoAssetData:
    """The asset of this title, made from narrated slides if there is none yet.

    The MP4 and its captions (one cue per sentence, timed by the narration) come
    from `slideshow.build` (cached, made once); the pipeline's run is enqueued on the
    `media` queue once this commits, so the caller does not wait for the transcode.
    A run that failed or was cancelled is started again. Raises Invalid
    (`tools_missing`, `render_failed`, `speech_failed`, ...) when it cannot be made.
    """
    existing = VideoAsset.objects.filter(title=title.strip()).order_by("pk").first()
    if existing is not None:
        if existing.status in (Status.FAILED, Status.CANCELLED):
            video_asset_retry(asset_id=existing.pk)
        data = video_asset_get(asset_id=existing.pk)
        assert data is not None
        return data
    try:
        files = slideshow.build(slides=slides, voice=voice, cache_dir=cache_dir)
    except slideshow.SlideshowError as exc:
        raise Invalid(
            _("The slideshow could not be made (%(reason)s).")
            % {"reason": exc.detail or exc.code},
            code=exc.code,
        ) from exc
    with transaction.atomic():
        data = video_asset_ingest(file_path=str(files.mp4_path), title=title)
        assert data.id is not None
        caption_set(
            asset_id=data.id,
            language=caption_language,
            label=caption_label,
            file_name="narration.vtt",
            data=files.webvtt.encode("utf-8"),
        )
    fresh = video_asset_get(asset_id=data.id)
    assert fresh is not None
    return fresh
