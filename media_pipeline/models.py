"""Video assets: an uploaded original and everything derived from it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoAsset(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PROBING = "probing", _("Probing")
        TRANSCODING = "transcoding", _("Transcoding")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    title = models.CharField(_("title"), max_length=255)
    original = models.FileField(_("original file"), upload_to="videos/originals/%Y/%m/")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def __str__(self) -> str:
        return self.title
