"""Video assets: an uploaded original and everything derived from it."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.kernel.private_files import UnguessableName, private_storage
from media_pipeline.ffmpeg_ops import REASONS, megabytes

VIDEO_EXTENSIONS = ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mts", "m2ts", "3gp"]


def validate_upload_size(file) -> None:
    """Refuse an empty or oversized upload before it is stored."""
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(REASONS["empty"], code="empty")
    if size and size > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise ValidationError(
            REASONS["too_large"]
            % {
                "size_mb": megabytes(size),
                "limit_mb": megabytes(settings.MEDIA_MAX_UPLOAD_BYTES),
            },
            code="too_large",
        )


class VideoAsset(ClusterableModel):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PROBING = "probing", _("Probing")
        TRANSCODING = "transcoding", _("Transcoding")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.PROBING, Status.TRANSCODING)

    title = models.CharField(_("title"), max_length=255)
    # may show people (recordings of live classes): the private store, never /media/
    original = models.FileField(
        _("original file"),
        upload_to=UnguessableName("videos/originals"),
        storage=private_storage,
        max_length=255,
        validators=[
            FileExtensionValidator(VIDEO_EXTENSIONS),
            validate_upload_size,
        ],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    # what the probe found
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    # the job: one token per run; a worker whose token is no longer current stops
    job_token = models.CharField(max_length=32, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    progress_percent = models.FloatField(default=0)
    progress_speed = models.FloatField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    stderr_tail = models.TextField(_("ffmpeg log"), blank=True)
    # what was published: every name below is relative to output_prefix
    output_prefix = models.CharField(max_length=255, blank=True)
    renditions = models.JSONField(default=list, blank=True)
    audio_only_playlist = models.CharField(max_length=100, blank=True)
    poster_name = models.CharField(max_length=100, blank=True)
    thumbnails_name = models.CharField(max_length=100, blank=True)
    offline_mp4_name = models.CharField(max_length=100, blank=True)
    offline_size_bytes = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def __str__(self) -> str:
        return self.title

    @property
    def error_message(self) -> str:
        """Why it failed, in the reader's language (codes are stored, not text)."""
        if not self.error_code:
            return ""
        template = REASONS.get(self.error_code, REASONS["internal"])
        try:
            return str(template % self.error_params)
        except (KeyError, TypeError, ValueError):
            return str(template)

    def published_url(self, name: str) -> str | None:
        if not (self.output_prefix and name):
            return None
        return default_storage.url(f"{self.output_prefix}/{name}")


def caption_name(language: str, data: bytes) -> str:
    """A caption track's content-addressed file name (``ar-<sha256 prefix>.vtt``)."""
    lang = re.sub(r"[^a-z0-9-]", "-", language.lower()) or "captions"
    return f"{lang}-{hashlib.sha256(data).hexdigest()[:16]}.vtt"


class Caption(Orderable):
    """A WebVTT caption track of one language; SRT uploads are converted on save."""

    asset = ParentalKey(VideoAsset, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        _("language"),
        max_length=16,
        help_text=_("A language code such as ar or en."),
    )
    label = models.CharField(_("label"), max_length=64)
    file = models.FileField(
        _("caption file (WebVTT or SRT)"),
        upload_to="videos/captions/%Y/%m/",
        max_length=255,
        validators=[FileExtensionValidator(["vtt", "srt"])],
    )

    class Meta(Orderable.Meta):
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "language"], name="media_caption_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.language})"

    def clean(self) -> None:
        from media_pipeline.captions import caption_file_to_webvtt

        if self.file and not getattr(self.file, "_committed", True):
            self.file = caption_file_to_webvtt(self.file)

    def save(self, *args, **kwargs) -> None:
        # content-addressed name: a track's URL never changes meaning, so it can be
        # cached for a year (a new file is a new name)
        pending = self.file and not getattr(self.file, "_committed", True)
        if pending:
            data = self.file.file
            data.seek(0)
            self.file.name = caption_name(self.language, data.read())
            data.seek(0)
        super().save(*args, **kwargs)
