"""Each trainee's enrolment and progress: rows that point at pages by id.

Completion is recorded once per (user, course); progress writes are idempotent
(`courses.services`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.pages import CoursePage, LessonPage


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_enrollment")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id} ({self.status})"


class LessonProgress(models.Model):
    """One trainee's progress through one lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("first opened"))
    last_opened_at = models.DateTimeField(_("last opened"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="uniq_lesson_prog")
        ]
        indexes = [models.Index(fields=["course", "user"])]


class VideoProgress(models.Model):
    """Seconds of one lesson video a trainee actually watched (monotonic)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    asset_id = models.PositiveIntegerField(_("video asset id"))
    watched_s = models.PositiveIntegerField(_("seconds watched"), default=0)
    duration_s = models.PositiveIntegerField(_("video duration (s)"), default=0)
    position_s = models.PositiveIntegerField(_("last position (s)"), default=0)
    last_accepted_at = models.DateTimeField(_("last accepted heartbeat"))

    class Meta:
        verbose_name = _("video progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "asset_id"], name="uniq_video_prog"
            )
        ]


class CheckResult(models.Model):
    """The best score a trainee reached on one knowledge check, and their tries:
    counted here (not by the page) for the check's reveal policy, its per-try
    choice order and its hints."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(_("check block id"), max_length=64)
    best_score_pct = models.PositiveSmallIntegerField(_("best score (%)"), default=0)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    failed_tries = models.PositiveIntegerField(_("tries that did not pass"), default=0)
    # the last try's answers in the author's order: the same answers sent again
    # (a double click, a resent request) are not another try
    last_answers = models.JSONField(_("last answers"), null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge-check result")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="uniq_check_result"
            )
        ]


class ProgressEvent(models.Model):
    """A client event already applied: replaying its id changes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client_event_id = models.CharField(_("client event id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20)
    accepted = models.BooleanField(_("accepted"))
    code = models.CharField(_("refusal code"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress event")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_event_id"], name="uniq_progress_event"
            )
        ]


class LiveAttendance(models.Model):
    """Minutes a trainee attended one live class (reported by virtual_classes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(_("source"), max_length=100)
    minutes = models.PositiveIntegerField(_("minutes"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live-class attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "source_key"], name="uniq_live_attendance"
            )
        ]


class CourseCompletion(models.Model):
    """A course completed: recorded exactly once per trainee and course."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("course completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_completion")
        ]
