"""Registry reads other apps may use."""

from __future__ import annotations

from django.db.models import QuerySet

from registry.models import Occupation, SkillLevel


def occupation_list(*, trade: str | None = None) -> QuerySet[Occupation]:
    qs = Occupation.objects.all()
    return qs.filter(trade=trade) if trade else qs


def occupation_get(*, code: str) -> Occupation:
    return Occupation.objects.get(code=code)


def skill_level_list() -> QuerySet[SkillLevel]:
    return SkillLevel.objects.all()


def skill_level_get(*, code: str) -> SkillLevel:
    return SkillLevel.objects.get(code=code)
