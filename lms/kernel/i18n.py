"""Addresses in the other language: Arabic is unprefixed, other languages `/en/...`."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language, get_language_from_path


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


def active_language() -> str:
    """The active language's code among the site's (the default when none is)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _page_url_parts_in_active_language(get_url_parts):  # type: ignore[no-untyped-def]
    def get_url_parts_in_active_language(self, request=None):  # type: ignore[no-untyped-def]
        parts = get_url_parts(self, request=request)
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, language_path(page_path, active_language())

    get_url_parts_in_active_language.in_active_language = True  # type: ignore[attr-defined]
    return get_url_parts_in_active_language


def install_active_language_urls() -> None:
    """Every page's address in the language the visitor reads (AppConfig.ready).

    Wagtail gives a page the address of its own locale, so an Arabic page linked from
    an English screen (cards, menus, breadcrumbs, `pageurl`, rich-text links, notices
    composed in English) had no `/en/` and one tap switched the visitor back to
    Arabic. The site keeps one (Arabic) tree and serves it under `/en/` too (Wagtail
    routes from the root's translation when there is one, else the root itself), so
    the address is the page's own path in the active language. Installed on
    `Page.get_url_parts`, the one method Wagtail documents for custom addresses, so
    plain `Page` objects (`get_children`, `get_parent`) follow it as well as the
    specific models.
    """
    from wagtail.models import Page

    if getattr(Page.get_url_parts, "in_active_language", False):
        return
    Page.get_url_parts = _page_url_parts_in_active_language(Page.get_url_parts)


def _home_path() -> str:
    return language_path("/", active_language())


#: The home page in the language being read, for settings and views that take a URL
#: (the log-out's landing page: from an English page, the English home).
home_path_lazy = lazy(_home_path, str)()
