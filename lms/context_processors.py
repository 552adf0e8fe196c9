from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from lms.kernel.i18n import language_path, other_language


def _url(name: str, fallback: str = "/") -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def site(request) -> dict[str, str]:
    """Links the shell shows on every page, resolved only if the owning app exists;
    the same page in the other language (the anonymous visitor's switch is a link:
    no form, no CSRF token, so the page can be kept whole, lms.kernel.page_cache)."""
    language = get_language()
    other = other_language(language)
    return {
        "other_language": other,
        "other_language_url": language_path(request.get_full_path(), other),
        "home_url": "/" if language == settings.LANGUAGE_CODE else f"/{language}/",
        "catalog_url": _url("courses:catalog"),
        "verify_url": _url("registry:verify_form"),
    }
