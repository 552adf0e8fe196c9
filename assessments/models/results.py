"""The per-occupation level policy and the combined result it gives a trainee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.exams import Attempt
from assessments.models.practical import PracticalAssessment
from assessments.models.questions import PERCENT


class LevelPolicy(models.Model):
    """How theory and practical combine for one occupation (configuration)."""

    occupation = models.OneToOneField(
        "registry.Occupation", on_delete=models.CASCADE, related_name="+"
    )
    theory_weight = models.PositiveSmallIntegerField(default=40)
    practical_weight = models.PositiveSmallIntegerField(default=60)
    theory_min_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    practical_min_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    pass_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )

    class Meta:
        verbose_name = _("level policy")
        verbose_name_plural = _("level policies")

    def __str__(self) -> str:
        return str(self.occupation)


class SkillResult(models.Model):
    """The combined outcome for a trainee, occupation and level."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="skill_results"
    )
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT)
    practical = models.ForeignKey(
        PracticalAssessment, on_delete=models.PROTECT, null=True, blank=True
    )
    combined_percent = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    certificate_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "practical"], name="one_result_per_evidence"
            )
        ]
