"""Theory exams: blueprints that draw from a bank, attempts and their drawn items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.questions import (
    PERCENT,
    Difficulty,
    Question,
    QuestionBank,
    QuestionVersion,
    Topic,
)


class ExamBlueprint(models.Model):
    """How a theory exam for an occupation and level is drawn, timed and passed."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    time_limit_s = models.PositiveIntegerField(_("time limit (seconds)"), default=3600)
    pass_mark_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=PERCENT,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3
    )
    wait_between_attempts_s = models.PositiveIntegerField(
        _("waiting time between attempts (seconds)"), default=24 * 3600
    )
    requires_course_completion = models.BooleanField(
        _("requires the course for this occupation and level"), default=True
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")

    def __str__(self) -> str:
        return self.title


class BlueprintRule(models.Model):
    """Draw `count` questions of a topic (and difficulty, if given)."""

    blueprint = models.ForeignKey(
        ExamBlueprint, on_delete=models.CASCADE, related_name="rules"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    difficulty = models.CharField(max_length=10, choices=Difficulty, blank=True)
    count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]


def deadline_grace() -> dt.timedelta:
    """How long after its deadline an attempt still takes answers: the request in
    flight when the clock ran out (`ASSESSMENTS_DEADLINE_GRACE_S`, default 2 s)."""
    return dt.timedelta(seconds=getattr(settings, "ASSESSMENTS_DEADLINE_GRACE_S", 2))


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Awaiting grading")
    GRADED = "graded", _("Graded")


def credited_course_field() -> models.ForeignKey:
    """The course that prepared the trainee for a test (their last completed course
    for its occupation and level when the test began); reports credit the test to it.
    """
    return models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class Attempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_attempts"
    )
    blueprint = models.ForeignKey(
        ExamBlueprint, on_delete=models.PROTECT, related_name="attempts"
    )
    course = credited_course_field()
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=AttemptStatus, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "blueprint"],
                condition=Q(status="in_progress"),
                name="one_active_attempt_per_exam",
            ),
            models.UniqueConstraint(
                fields=["user", "blueprint", "number"], name="attempt_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"]),
            # The reports' monthly refresh reads attempts submitted since a date.
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="attempt_submitted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint} #{self.number} ({self.user_id})"


class AttemptItem(models.Model):
    """One drawn question with its snapshot (key included) and the public view."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="+"
    )
    topic_name = models.CharField(max_length=255)
    snapshot = models.JSONField()
    public = models.JSONField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    response = models.JSONField(null=True, blank=True)
    response_seq = models.PositiveBigIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_item_position_unique"
            )
        ]
