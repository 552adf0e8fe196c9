"""Names of the codes the reports group by, in the current language, and their
order (levels by rank): reference data read once per page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.accounts.national_id import governorates


class Labels:
    """Names of codes in the current language (reference data, a query or two)."""

    @cached_property
    def _english(self) -> bool:
        return get_language() == "en"

    @cached_property
    def occupations(self) -> dict[str, str]:
        from registry.selectors import occupation_list

        return {o.code: o.title for o in occupation_list()}

    @cached_property
    def levels(self) -> dict[str, str]:
        from registry.selectors import skill_level_list

        return {lv.code: lv.name for lv in skill_level_list()}

    def label(self, dimension: str, key: Any) -> str:
        if dimension == "month":
            return formats.date_format(key, "YEAR_MONTH_FORMAT")
        if dimension == "disability":
            return _("With a disability") if key else _("Without a disability")
        if key in ("", None):
            return _("Not recorded")
        if dimension == "governorate":
            gov = governorates().get(key)
            if gov is None:
                return str(key)
            return gov.name_en if self._english else gov.name_ar
        if dimension == "occupation":
            return self.occupations.get(key, str(key))
        if dimension == "level":
            return self.levels.get(key, str(key))
        if dimension == "gender":
            return {"male": _("Male"), "female": _("Female")}.get(key, str(key))
        return str(key)


def order_keys(dimension: str, keys: set) -> list:
    if dimension == "level":
        from registry.selectors import skill_level_list

        rank = {lv.code: lv.rank for lv in skill_level_list()}
        return sorted(keys, key=lambda k: (rank.get(k, 10_000), str(k)))
    if dimension == "disability":
        return sorted(keys, key=lambda k: bool(k))
    return sorted(keys, key=lambda k: ("" if k is None else str(k)) or "~")
