"""What a verifier fetches: the controller document (DID), the status lists, the
achievements (occupation + level) the credentials name; and the holder's badge image.

Public pages are cacheable for a short time; the badge names its holder (private).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lms.kernel.errors import NotFound
from registry.badge import badge_png
from registry.credentials import (
    CONTEXTS,
    achievement_document,
    certificate_credential,
)
from registry.keyring import did_document
from registry.selectors import (
    certificate_get_for_viewer,
    occupation_get,
    skill_level_get,
)
from registry.status_list import status_list_credential

PUBLIC_CACHE = "public, max-age=300"


def _json(body: dict, *, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    return response


def did_json(request: HttpRequest) -> HttpResponse:
    """did:web controller document: every key the registry ever signed with."""
    return _json(did_document(), content_type="application/did+ld+json")


def status_list_json(request: HttpRequest, number: int) -> HttpResponse:
    credential = status_list_credential(number)
    if credential is None:
        raise Http404
    return _json(credential, content_type="application/vc+ld+json")


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def achievement(
    request: HttpRequest, occupation_code: str, level_code: str, as_json: bool = False
) -> HttpResponse:
    """The achievement a credential names: a page, or JSON (`.json` or Accept)."""
    try:
        occupation = occupation_get(code=occupation_code)
        level = skill_level_get(code=level_code)
    except NotFound:
        raise Http404 from None
    document = achievement_document(
        occupation_code=occupation.code,
        occupation_title_ar=occupation.title_ar,
        occupation_title_en=occupation.title_en,
        level_code=level.code,
        level_name_ar=level.name_ar,
        level_name_en=level.name_en,
    )
    if as_json or _wants_json(request):
        return _json(
            {"@context": CONTEXTS, **document},
            content_type="application/ld+json",
        )
    response = render(
        request,
        "registry/achievement.html",
        {"occupation": occupation, "level": level, "achievement": document},
    )
    response["Cache-Control"] = PUBLIC_CACHE
    response["Vary"] = "Accept"
    return response


@login_required
def certificate_badge(request: HttpRequest, serial: str) -> HttpResponse:
    """The credential baked into a PNG badge (OB 3.0 baking) for wallets."""
    try:
        cert = certificate_get_for_viewer(serial=serial, viewer_id=request.user.pk)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(
        badge_png(certificate_credential(cert)), content_type="image/png"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.serial_display}.png"'
    )
    return response
