"""The installable-app endpoints: the service worker, the web app manifest, the
offline fallback page."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.pwa.versioning import cache_version, shell_static_urls

SHELL_CACHE_PREFIX = "maharat-shell-"
OFFLINE_CACHE = "maharat-offline-lessons"


def offline_page_urls() -> dict[str, str]:
    """The offline page's URL in every site language (the worker precaches each)."""
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse("pwa:offline")
    return urls


def sw_config() -> dict:
    offline_urls = offline_page_urls()
    return {
        "version": cache_version(),
        "shellCachePrefix": SHELL_CACHE_PREFIX,
        "offlineCache": OFFLINE_CACHE,
        "staticUrl": settings.STATIC_URL,
        "mediaUrl": settings.MEDIA_URL,
        "defaultLanguage": settings.LANGUAGE_CODE,
        "offlineUrls": offline_urls,
        "precache": [*offline_urls.values(), *shell_static_urls()],
        "networkOnlyPrefixes": ["/api/", "/cms/", "/django-admin/", "/ws/"],
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so its scope is the whole site."""
    config = json.dumps(sw_config(), ensure_ascii=False, sort_keys=True)
    body = render_to_string("pwa/sw.js", {"config": config})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest in the request's language (Arabic and RTL by default)."""
    language = translation.get_language()
    manifest = {
        "id": "/",
        "name": _("Maharat — vocational training"),
        "short_name": _("Maharat"),
        "description": _(
            "Learn a trade, join live classes and earn a skill certificate, "
            "even on a slow connection."
        ),
        "lang": language,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": "/" if language == settings.LANGUAGE_CODE else f"/{language}/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f8f9",
        "theme_color": "#0b5d4b",
        "icons": [
            {
                "src": static("pwa/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("pwa/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("pwa/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": static("pwa/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
        ],
    }
    response = JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows when a page cannot be reached: the saved lessons."""
    return render(request, "pwa/offline.html")
