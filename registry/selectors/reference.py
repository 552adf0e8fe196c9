"""Reference data: occupations (unified codes) and skill levels."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lms.kernel.errors import NotFound
from registry.converters import occupation_data, skill_level_data
from registry.data import OccupationData, SkillLevelData
from registry.models import Occupation, SkillLevel


def occupation_list(*, trade: str | None = None) -> list[OccupationData]:
    """By code; only the trade's when `trade` is given."""
    qs = Occupation.objects.all()
    if trade:
        qs = qs.filter(trade=trade)
    return [occupation_data(o) for o in qs]


def occupation_get(*, code: str) -> OccupationData:
    occupation = Occupation.objects.filter(code=code).first()
    if occupation is None:
        raise NotFound(
            _("Unknown occupation code “%(code)s”.") % {"code": code},
            code="occupation",
        )
    return occupation_data(occupation)


def skill_level_list() -> list[SkillLevelData]:
    """Lowest rank first."""
    return [skill_level_data(level) for level in SkillLevel.objects.order_by("rank")]


def skill_level_get(*, code: str) -> SkillLevelData:
    level = SkillLevel.objects.filter(code=code).first()
    if level is None:
        raise NotFound(
            _("Unknown skill level “%(level)s”.") % {"level": code}, code="level"
        )
    return skill_level_data(level)
