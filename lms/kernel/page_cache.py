"""Whole answers to anonymous visitors, kept in the shared cache.

The catalogue, trade, course and lesson pages are the same for every visitor who is
not signed in, and in a surge most of them are not. A page that says so (Wagtail
pages through `lms.kernel.wagtail_hooks`, any view with :func:`mark_public`) is
kept after its first answer: the next anonymous GET of the same address is answered
from one cache read, before sessions, locale, CSRF, authentication and the page
tree are touched.

What is kept and how it is told apart:
- only a GET with no query string, no session, messages or Authorization, and an
  answer that says it is public (never one that sets a cookie: a page that used a
  CSRF token or left a message is not kept; never `private`/`no-store`);
- keyed by scheme, host and path (the language is in the path: Arabic unprefixed,
  `/en/...`), the shared cache's page version and the "pages" cache generation
  (lms.kernel.generations), both moved when a page is saved, published,
  unpublished, moved or deleted (`pages_changed`); entries also expire after
  PAGE_CACHE_SECONDS, which bounds how long what a page borrows from elsewhere (an
  instructor's name, next week's live class) may lag;
- the body is stored plain and gzipped once, and answered in the form the visitor
  accepts; with an ETag (304 on If-None-Match) and
  ``Cache-Control: public, max-age=0, must-revalidate, s-maxage=N``: browsers
  revalidate (signing in changes the page at the same address), a reverse proxy or
  CDN may keep it N seconds (Wagtail's frontend-cache purge empties it on publish,
  FRONTEND_CACHE_PURGE_URL).
The middleware sits after SecurityMiddleware and WhiteNoise (their headers are added
to every answer, kept or not), before the CSP (its header, the same on every page of
the site, is kept with the entry) and everything that reads a session.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from lms.kernel.generations import generation_bump, generation_get

GENERATION = "pages"
KEY_PREFIX = "page-cache"
VERSION_KEY = "page-cache-version"
_GZIP_OK = _lazy_re_compile(r"\bgzip\b")
# Answer headers not copied into an entry: set afresh for each answer.
_NOT_KEPT = frozenset(
    {"set-cookie", "content-length", "content-encoding", "etag", "cache-control"}
)
_NEVER = ("/api/", "/cms/", "/django-admin/", "/healthz", "/documents/", "/i18n/")


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def mark_public(response: HttpResponseBase) -> HttpResponseBase:
    """Say that `response` is the same for every anonymous visitor of its address."""
    response.public_page = True  # type: ignore[attr-defined]
    return response


_local = {"epoch": 0}


def pages_changed() -> None:
    """Abandon every kept page, route and outline: this process's at once, the
    shared cache's at once (its version), every process's after the current
    transaction commits (the generation; also what survives a Redis outage)."""
    forget_kept()
    generation_bump(GENERATION)


def forget_kept() -> None:
    """`pages_changed` without the generation (no query): what a test starts with."""
    _local["epoch"] += 1
    _memo.clear()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any value but the last will do
        cache.set(VERSION_KEY, time.time_ns(), None)


def kept_version() -> tuple[int, int]:
    """What this process's own memos of pages are keyed by (routes, outlines)."""
    return generation_get(GENERATION), _local["epoch"]


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path_info
    prefixes = [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p]
    return not path.startswith((*_NEVER, *prefixes))


def _key(request: HttpRequest) -> str | None:
    """The entry's key: the address and the generation (the shared cache's page
    version is checked against the one the entry holds: one round trip for both)."""
    try:
        host = request.get_host()
    except DisallowedHost:  # Django's own answer, never a kept one
        return None
    address = f"{request.scheme}://{host}{request.path_info}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{generation_get(GENERATION)}:{digest}"


def _storable(response: HttpResponseBase) -> bool:
    return bool(
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not any(
            word in response.get("Cache-Control", "")
            for word in ("private", "no-store", "no-cache")
        )
    )


def _entry(response: HttpResponse) -> dict[str, Any]:
    body = response.content
    return {
        "body": body,
        "gzip": compress_string(body),
        "etag": '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_KEPT
        ],
    }


def _answer(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    etag = entry["etag"]
    if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponse(status=304)
    else:
        zipped = bool(_GZIP_OK.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        response = HttpResponse(entry["gzip"] if zipped else entry["body"])
        for name, value in entry["headers"]:
            response[name] = value
        if zipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"public, max-age=0, must-revalidate, s-maxage={seconds()}"
    )
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


# The last answers read from the shared cache, kept in this process for a second or
# two (PAGE_MEMO_SECONDS; 0: off): in a surge the same few pages are asked for
# hundreds of times a second, and each read cost a round trip to Redis and a copy
# of the page. A change made in this process drops them at once (the epoch); one
# made in another process shows here within PAGE_MEMO_SECONDS, well inside what the
# answer lets a reverse proxy keep (s-maxage).
_memo: dict[str, tuple[float, int, dict[str, Any]]] = {}
_MEMO_SIZE = 256


def _epoch() -> int:
    return _local["epoch"]


def _remember(key: str, entry: dict[str, Any]) -> None:
    lifetime = float(getattr(settings, "PAGE_MEMO_SECONDS", 2))
    if lifetime <= 0:
        return
    if len(_memo) >= _MEMO_SIZE:
        _memo.clear()
    _memo[key] = (time.monotonic() + lifetime, _epoch(), entry)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if seconds() <= 0 or not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        if key is None:
            return self.get_response(request)
        memo = _memo.get(key)
        if memo is not None and memo[0] > time.monotonic() and memo[1] == _epoch():
            return _answer(request, memo[2])
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            _remember(key, entry)
            return _answer(request, entry)
        # Rendered plain (the inner GZipMiddleware sees no Accept-Encoding): the entry
        # keeps both forms, and an answer that is not kept is compressed here.
        accept = request.META.pop("HTTP_ACCEPT_ENCODING", None)
        response = self.get_response(request)
        if accept is not None:
            request.META["HTTP_ACCEPT_ENCODING"] = accept
        if not _storable(response):
            return self.gzip.process_response(request, response)
        entry = _entry(response)  # type: ignore[arg-type]
        entry["version"] = version
        cache.set(key, entry, seconds())
        _remember(key, entry)
        return _answer(request, entry)


def connect_invalidation() -> None:
    """Bump the generation whenever Wagtail changes what a page shows. Connected
    per page model: a receiver for every sender would take the fast path away from
    every other model's deletes."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    def changed(sender: Any, **kwargs: Any) -> None:
        pages_changed()

    for model in apps.get_models():
        if issubclass(model, Page):  # a draft saved too: cheap, and never stale
            uid = f"page_cache_{model._meta.label_lower}"
            post_save.connect(changed, sender=model, dispatch_uid=f"{uid}_saved")
            post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}_deleted")
    page_published.connect(changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(changed, dispatch_uid="page_cache_moved")
