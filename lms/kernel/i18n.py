"""Addresses in the other language: Arabic is unprefixed, other languages `/en/...`."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_from_path


def language_path(path: str, language: str) -> str:
    """`path` (a path and maybe `?query`) as `language` shows it: `/en/x/` ↔ `/x/`."""
    path, _, query = path.partition("?")
    current = get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return path + (f"?{query}" if query else "")


def other_language(language: str) -> str:
    """The language the switch offers from `language` (the site has two)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return next((code for code in codes if code != language), language)
