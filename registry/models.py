"""The ministry registry's reference data: occupations and skill levels.

Certificates (issue, verify, revoke) build on these.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """A unit group of the unified occupation classification (ISCO-08 based)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    trade = models.SlugField(
        _("trade"),
        max_length=50,
        blank=True,
        help_text=_("The platform trade this occupation belongs to, if any."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_ar


class SkillLevel(models.Model):
    """A skill level: configuration (seeded from data), never hard-coded."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ar
