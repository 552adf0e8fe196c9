"""Question banks: topics, questions and their immutable versions, shared images."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.question_types import kind_choices

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionBank(models.Model):
    """Questions for one occupation and skill level, organised by topic."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    skill_level = models.ForeignKey(
        "registry.SkillLevel", on_delete=models.PROTECT, verbose_name=_("skill level")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "name"], name="topic_unique_in_bank"
            )
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class QuestionImage(models.Model):
    """An image used by stems or options, stored once per content hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to="assessments/images/")
    original_name = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.original_name or self.file.name


class Question(models.Model):
    """A question's identity; its content lives in immutable versions."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("type"), max_length=30, choices=kind_choices())
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty, default=Difficulty.MEDIUM
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Hash of the imported source, so re-importing changes nothing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "source_hash"],
                condition=~Q(source_hash=""),
                name="question_source_unique_in_bank",
            )
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class QuestionVersion(models.Model):
    """What a question said at one point in time; never edited once saved."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    stem = models.TextField(_("question text"))
    stem_images = models.JSONField(default=list, blank=True)
    # What each stem image shows, for screen readers (same order; "" when none).
    stem_image_alts = models.JSONField(default=list, blank=True)
    data = models.JSONField(_("definition and answer key"))
    explanation = models.TextField(_("explanation"), blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Saved in the web editor and not yet published: exams draw only the question's
    # current (published) version. An editor's imports are drafts sent for review too;
    # a reviewer's (and the command line's and the demo seed's) are published at once.
    is_draft = models.BooleanField(_("draft"), default=False)
    # The category, difficulty and name this version gives the question, applied
    # when it is published (None / "" on versions saved before drafts existed).
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty, blank=True
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="question_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"
