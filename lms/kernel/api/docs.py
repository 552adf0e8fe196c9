"""The API docs' Redoc bundle, from the vendored drf-spectacular-sidecar copy.

The bundle draws its "API docs by Redocly" link with an image from cdn.redoc.ly (no
option turns it off): the CSP refused it on every visit, so the docs page was the one
page asking another host for something. Served here with that address replaced by a
blank inline image, the page loads nothing but our own files
(``SPECTACULAR_SETTINGS["REDOC_DIST"]`` points at this view's folder).
"""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

SIDECAR_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
BLANK_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@cache
def redoc_bundle_source() -> bytes:
    path = finders.find(SIDECAR_BUNDLE)
    if not path:
        raise FileNotFoundError(SIDECAR_BUNDLE)
    with open(path, "rb") as bundle:
        return bundle.read().replace(CDN_LOGO.encode(), BLANK_IMAGE.encode())


@require_safe
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        redoc_bundle_source(), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
