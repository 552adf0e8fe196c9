"""Practical tests: rubrics of weighted criteria, assessors' scores, photo evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.exams import credited_course_field
from lms.kernel.private_files import UnguessableName, private_storage


class Rubric(models.Model):
    """The practical test of an occupation and level: weighted criteria."""

    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["occupation", "skill_level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill_level"],
                condition=Q(is_active=True),
                name="one_active_rubric_per_level",
            )
        ]
        verbose_name = _("practical rubric")
        verbose_name_plural = _("practical rubrics")

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("criterion"), max_length=255)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["rubric", "position"]

    def __str__(self) -> str:
        return self.title


class PerformanceLevel(models.Model):
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.CASCADE, related_name="levels"
    )
    label = models.CharField(_("performance level"), max_length=120)
    descriptor = models.TextField(
        _("descriptor"),
        blank=True,
        help_text=_("What performance at this level looks like, shown while scoring."),
    )
    fraction = models.DecimalField(
        _("share of the weight"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        ordering = ["criterion", "-fraction"]

    def __str__(self) -> str:
        return self.label


class PracticalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PracticalAssessment(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practicals"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    course = credited_course_field()
    status = models.CharField(
        max_length=10, choices=PracticalStatus, default=PracticalStatus.DRAFT
    )
    comments = models.TextField(_("comments"), blank=True)
    scheduled_on = models.DateField(_("test day"), null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(trainee=models.F("assessor")),
                name="assessor_is_not_trainee",
            )
        ]
        indexes = [
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="practical_submitted_at",
            ),
            models.Index(
                fields=["assessor", "status", "scheduled_on"],
                name="practical_assessor_day",
            ),
        ]


class PracticalScore(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT)
    level = models.ForeignKey(PerformanceLevel, on_delete=models.PROTECT)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            )
        ]


class PracticalEvidence(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    # a personal file: private store, unguessable name, served by views.evidence_photo
    image = models.ImageField(
        _("photo"),
        upload_to=UnguessableName("assessments/evidence"),
        storage=private_storage,
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class PracticalCorrection(models.Model):
    """A change to a submitted score, by another assessor or staff, with its reason:
    the audit shown on the test's page (never edited)."""

    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="corrections"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    percent_before = models.DecimalField(max_digits=5, decimal_places=2)
    percent_after = models.DecimalField(max_digits=5, decimal_places=2)
    # [{"criterion": id, "title": str, "before": label, "after": label}, ...]
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["assessment", "corrected_at", "pk"]
        verbose_name = _("practical score correction")
        verbose_name_plural = _("practical score corrections")
