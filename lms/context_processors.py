from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language


def _url(name: str, fallback: str = "/") -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def site(request) -> dict[str, str]:
    """Links the shell shows on every page, resolved only if the owning app exists."""
    language = get_language()
    return {
        "home_url": "/" if language == settings.LANGUAGE_CODE else f"/{language}/",
        "catalog_url": _url("courses:catalog"),
        "verify_url": _url("registry:verify_form"),
    }
