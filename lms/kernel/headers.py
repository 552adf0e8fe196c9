"""Response headers every answer carries: who may keep a copy, which browser features
a page may use.

- ``Cache-Control: private, no-store`` on every answer with personal data: anything
  answered to a signed-in user (HTML and API), anything answering a form post (it
  echoes what was typed, a national ID included), and the views marked with
  :func:`private_answer` (the public verification shows a holder's name). Phones and
  internet cafés are shared, and a proxy or CDN must never hand one person's page
  to the next. Anonymous public pages and static/public media stay cacheable.
- ``Permissions-Policy``: every powerful feature off, except on a page that
  :func:`allow_conference` opened to the video-conference origin (the live class).

The verification fast path (registry/verify_asgi.py) answers before Django and adds
the same values from :data:`NO_STORE` and :func:`permissions_policy`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

NO_STORE = "private, no-store"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Features a conference page grants to itself and the conference's frame.
CONFERENCE_FEATURES = ("camera", "microphone", "display-capture")
# Features no page of ours uses: off for the page and every frame in it.
_OFF_FEATURES = (
    "accelerometer",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
# The video player goes full screen and plays inline; nothing else may.
_SELF_FEATURES = ("autoplay", "fullscreen", "picture-in-picture")


def permissions_policy(
    *, conference_origin: str | None = None, own: tuple[str, ...] = ()
) -> str:
    """The ``Permissions-Policy`` value; `conference_origin` (``https://host``) is
    granted camera, microphone and screen sharing along with the page itself; the
    features in `own` (of those otherwise off) are granted to the page alone."""
    granted = f'(self "{conference_origin}")' if conference_origin else "()"
    self_or_conference = (
        f'(self "{conference_origin}")' if conference_origin else "(self)"
    )
    parts = [f"{feature}={granted}" for feature in CONFERENCE_FEATURES]
    parts += [f"{feature}={self_or_conference}" for feature in _SELF_FEATURES]
    parts += [
        f"{feature}={'(self)' if feature in own else '()'}" for feature in _OFF_FEATURES
    ]
    return ", ".join(parts)


def allow_geolocation(response: HttpResponseBase) -> HttpResponseBase:
    """Let this one page ask the browser for the person's position (the test
    centres' "near me", computed in the page: the position is sent nowhere)."""
    response["Permissions-Policy"] = permissions_policy(own=("geolocation",))
    return response


def allow_conference(response: HttpResponseBase, *, origin: str) -> HttpResponseBase:
    """Open this one page to a video-conference service at `origin`: its script
    (``external_api.js``) and its frame in the CSP, camera/microphone/screen sharing
    in the Permissions-Policy. Every other page keeps them closed."""
    update = dict(getattr(response, "_csp_update", None) or {})
    # 'self' too: a frame-src of its own would otherwise drop default-src's 'self'
    for directive in ("script-src", "frame-src"):
        update[directive] = [*update.get(directive, ()), "'self'", origin]
    response._csp_update = update  # type: ignore[attr-defined]  # read by django-csp's middleware
    response["Permissions-Policy"] = permissions_policy(conference_origin=origin)
    return response


def mark_private(response: HttpResponseBase) -> HttpResponseBase:
    """``Cache-Control: private, no-store``, unless the view already said no-store
    (Django's ``never_cache`` or the private-file answers are at least as strict)."""
    if "no-store" not in response.get("Cache-Control", ""):
        response["Cache-Control"] = NO_STORE
    return response


def private_answer(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark every answer of `view` private, also to anonymous visitors. Works on view
    functions and on methods of class-based and DRF views."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return mark_private(view(*args, **kwargs))

    return wrapper


def _public_file(path: str) -> bool:
    """Static files and public media (served by Django only on a laptop)."""
    prefixes = [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p]
    return any(p.startswith("/") and path.startswith(p) for p in prefixes)


def _personal(request: HttpRequest) -> bool:
    if request.method not in _SAFE_METHODS:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ResponseHeadersMiddleware:
    """Adds the cache rule and the Permissions-Policy to every answer Django gives.

    Placed after AuthenticationMiddleware: DRF's token authentication sets the user
    on the request during the view, so an API answer to a token holder is seen as
    personal too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy()
        if not _public_file(request.path_info) and _personal(request):
            mark_private(response)
        return response
