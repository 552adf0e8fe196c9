"""Live classes and everything that happens in them.

Video runs on Jitsi; the classroom (chat, hands, polls, presence) and attendance are
ours and persisted here, so a reconnecting client can always be given a snapshot.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virtual_classes.data import AttendanceSource


def new_room_name() -> str:
    """Unguessable and lower-case (Prosody compares room names lower-cased)."""
    return f"maharat-{secrets.token_hex(16)}"


class ClassSeries(models.Model):
    """Classes scheduled together (e.g. weekly on chosen weekdays): each occurrence
    is a LiveClass of its own, edited or cancelled alone or with the rest."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="class_series",
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="class_series_taught",
    )
    title = models.CharField(_("title"), max_length=200)
    weekdays = models.JSONField(
        _("weekdays"), default=list, help_text="0 = Monday … 6 = Sunday"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("class series")
        verbose_name_plural = _("class series")

    def __str__(self) -> str:
        return self.title


class LiveClass(models.Model):
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="live_classes",
    )
    cohort = models.CharField(
        _("cohort"),
        max_length=100,
        blank=True,
        help_text=_("Optional: the group of trainees this class is for."),
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="live_classes_taught",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_min = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=500,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
    )
    join_early_min = models.PositiveSmallIntegerField(
        _("join window opens (minutes before the start)"),
        default=15,
        validators=[MaxValueValidator(120)],
    )
    start_audio_only = models.BooleanField(
        _("start with video off (audio only)"), default=True
    )
    room_name = models.CharField(
        _("Jitsi room"), max_length=64, unique=True, default=new_room_name
    )
    chat_muted = models.BooleanField(_("chat muted"), default=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    series = models.ForeignKey(
        ClassSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classes",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("live class")
        verbose_name_plural = _("live classes")

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_min)

    @property
    def join_opens_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(minutes=self.join_early_min)

    @property
    def effective_end(self) -> dt.datetime:
        """When the class really ended: ended by the instructor or its scheduled end."""
        return min(self.ended_at, self.ends_at) if self.ended_at else self.ends_at

    def is_open_at(self, moment: dt.datetime | None = None) -> bool:
        """Inside the join window, not ended and not cancelled."""
        moment = moment or timezone.now()
        if self.ended_at or self.cancelled_at:
            return False
        return self.join_opens_at <= moment < self.ends_at


class ChatMessage(models.Model):
    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["live_class", "author", "sent_at"])]


class HandRaise(models.Model):
    """One raised hand; the open ones, oldest first, are the queue."""

    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="hands"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    lowered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_class", "user"],
                condition=Q(lowered_at__isnull=True),
                name="one_open_hand_per_user",
            )
        ]


class Poll(models.Model):
    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="polls"
    )
    question = models.CharField(max_length=300)
    options = models.JSONField(help_text="list of option labels")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_class"],
                condition=Q(closed_at__isnull=True),
                name="one_open_poll_per_class",
            )
        ]


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    option = models.PositiveSmallIntegerField()
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_user")
        ]


class ClassRemoval(models.Model):
    """A participant the instructor removed: they cannot come back to this class."""

    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="removals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["live_class", "user"], name="one_removal_per_user"
            )
        ]


class AttendanceInterval(models.Model):
    """A stretch of time someone was in the class, from one connection or Jitsi."""

    class Source(models.TextChoices):
        CLASSROOM = AttendanceSource.CLASSROOM, _("Classroom (WebSocket)")
        JITSI = AttendanceSource.JITSI, _("Jitsi video")

    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    connection_key = models.CharField(max_length=200)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["live_class", "left_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["live_class", "source", "connection_key"],
                condition=Q(left_at__isnull=True),
                name="one_open_interval_per_connection",
            )
        ]


class JitsiEvent(models.Model):
    """A notification from Jitsi (recorder, webhook), kept once per idempotency key."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        IGNORED = "ignored", _("Ignored")

    idempotency_key = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=60)
    live_class = models.ForeignKey(
        LiveClass,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jitsi_events",
    )
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)


class Recording(models.Model):
    live_class = models.ForeignKey(
        LiveClass, on_delete=models.CASCADE, related_name="recordings"
    )
    event = models.OneToOneField(
        JitsiEvent, on_delete=models.PROTECT, related_name="recording"
    )
    video_asset = models.ForeignKey(
        "media_pipeline.VideoAsset", on_delete=models.PROTECT, related_name="+"
    )
    # the instructor may withdraw a recording from trainees (and publish it again)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
