"""A signed-in trainee's page answered again from the shared cache (issue 19).

A lesson page read a second time within minutes is the same page: what it shows of
the trainee (enrolment, progress, "done" marks, knowledge-check tries, video
positions) has not moved unless one of the services that change it ran. A view that
knows how long its answer stays exact says so with :func:`personal_page_keep`; the
answer is then kept for that user, address and language, and the next GET is
answered here, before the page tree, the template and the trainee's state are read.

Security is Django's own, not a copy: the request goes through SessionMiddleware,
LocaleMiddleware and CsrfViewMiddleware's own hooks, so the session is loaded and
expired as Django does. The entry was kept on a full path where Django's ``get_user``
compared the session's auth hash with the user's password; it records that sign-in
(user id, backend, auth hash) and is answered only to a session that still holds the
same one, compared in constant time. What could make that sign-in invalid since (a
new password, a deactivation, staff rights, roles) saves the user or changes their
groups, which moves the user's state version, and a new SECRET_KEY changes the
entry's key: a hit reads no user row and touches no database. Its CSRF tokens are
masked afresh from the visitor's own secret (``get_token``), and the answer goes
through the CSRF, GZip, Common and Session response hooks; the other headers
(private Cache-Control, Permissions-Policy, X-Frame-Options, Content-Language, Vary)
are the kept answer's own, the CSP is added by its middleware outside this one.
tests/courses/test_personal_pages.py compares the two paths' headers and bodies.

An entry is used only while all of these hold, otherwise the full path answers:
- the "pages" generation and the shared cache's page version it was kept under
  (lms.kernel.page_cache: every publish, unpublish, move, delete);
- the user's state version (:func:`user_state_changed`, bumped after commit by the
  services that change what a trainee's pages show, by any save of the user or
  change of their groups, and on sign-in and sign-out), and the version of changes
  that show on everyone's pages (:func:`personal_pages_all_changed`);
- the time the view gave (a lesson: until its visit is due to be recorded again,
  LESSON_OPEN_RECORD_S; a trainee's dashboard: the soonest of its panels'
  ``valid_until``, lms.kernel.panels) and at most PERSONAL_PAGE_CACHE_SECONDS;
- a plain GET (no query string, no Authorization) with a session and a CSRF cookie,
  no message waiting (cookie or session), a user who is neither staff nor superuser.
An answer is kept only when it is 200, private, set no cookie but the CSRF one,
and every CSRF token in it is one this module can mask again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import (
    SessionMiddleware as DjangoSessionMiddleware,
)
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware import csrf as django_csrf
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    get_token,
)
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language

from lms.kernel.generations import generation_bump, generation_get
from lms.kernel.page_cache import GENERATION, VERSION_KEY
from lms.kernel.personal_sessions import session_and_keys
from lms.kernel.spliced_gzip import deflate_parts, spliced

KEY_PREFIX = "personal-page"
USER_PREFIX = "personal-state"
ALL_KEY = "personal-state-all"
ALL_GENERATION = "personal-pages"
_KEEP = "_maharat_personal_keep_until"
_PLACEHOLDER = "\x00csrf\x00"
_TOKEN_INPUT = re.compile(
    r'(<input type="hidden" name="csrfmiddlewaretoken" value=")'
    rf"([{re.escape(CSRF_ALLOWED_CHARS)}]{{{CSRF_TOKEN_LENGTH}}})"
    r'(">)'
)
_ANY_TOKEN = re.compile(rf"[{re.escape(CSRF_ALLOWED_CHARS)}]{{{CSRF_TOKEN_LENGTH}}}")
_GZIP_MIN = 200  # GZipMiddleware's smallest answer worth compressing
_NOT_KEPT = frozenset({"set-cookie", "content-length", "content-encoding", "etag"})
_NEVER = ("/api/", "/cms/", "/django-admin/", "/healthz", "/documents/", "/i18n/")


def seconds() -> int:
    return int(getattr(settings, "PERSONAL_PAGE_CACHE_SECONDS", 300))


def personal_page_keep(request: HttpRequest, *, until: float) -> None:
    """Say that this request's answer stays exact for its user until `until` (a
    Unix time), unless the user's state version moves first."""
    setattr(request, _KEEP, until)


def user_state_changed(user_id: int | None) -> None:
    """Abandon the user's kept pages: at once, and again once the current
    transaction commits (a page rendered meanwhile read the rows before it)."""
    if user_id:
        _bump(int(user_id))
        transaction.on_commit(lambda: _bump(int(user_id)))


def personal_pages_all_changed() -> None:
    """Abandon every user's kept pages: for a change that shows on many trainees'
    pages at once (a live class scheduled for a course, an exam's window moved).
    At once in the shared cache, again after commit, and through a database
    generation after commit (a bump lost while Redis was away still takes effect)."""
    _bump_key(ALL_KEY)
    transaction.on_commit(lambda: _bump_key(ALL_KEY))
    generation_bump(ALL_GENERATION)


def _bump(user_id: int) -> None:
    _bump_key(f"{USER_PREFIX}:{user_id}")


def _bump_key(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (or evicted): any value but the last will do
        cache.set(key, time.time_ns(), None)


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if "messages" in cookies or settings.SESSION_COOKIE_NAME not in cookies:
        return False
    if settings.CSRF_USE_SESSIONS or settings.CSRF_COOKIE_NAME not in cookies:
        return False
    prefixes = [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p]
    return not request.path_info.startswith((*_NEVER, *prefixes))


def _entry_key(request: HttpRequest, user_id: Any) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return (
        f"{KEY_PREFIX}:{_secret_mark()}:"
        f"{generation_get(GENERATION)}.{generation_get(ALL_GENERATION)}:"
        f"{user_id}:{get_language()}:"
        f"{request.scheme}://{host}{request.path_info}"
    )


def _secret_mark() -> str:
    """A short mark of SECRET_KEY: an entry checked a session's auth hash made with
    the key of its day, so a new key (one that no longer accepts the old hashes)
    never finds it."""
    return salted_hmac("personal-pages", "", algorithm="sha256").hexdigest()[:12]


def _signed_in_as(request: HttpRequest, entry: dict[str, Any]) -> bool:
    """The session still holds the sign-in the entry was kept for: the same user,
    backend and auth hash (Django's `get_user` compared that hash with the user's
    password when the entry was kept; a new password, a deactivation or any other
    save of the user moves the user's state version, and the entry is not used)."""
    session = request.session
    backend = session.get(BACKEND_SESSION_KEY)
    return (
        str(session.get(SESSION_KEY)) == str(entry["user_id"])
        and backend == entry["backend"]
        and backend in settings.AUTHENTICATION_BACKENDS
        and constant_time_compare(session.get(HASH_SESSION_KEY, ""), entry["hash"])
    )


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, in MIDDLEWARE's place for it: a request that PersonalPageMiddleware
    looked at already has its session (loaded once from the cache), and keeps it."""

    def process_request(self, request: HttpRequest) -> None:
        if not hasattr(request, "session"):
            super().process_request(request)


class PersonalPageMiddleware:
    """Placed right after the CSP middleware, before SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.session = DjangoSessionMiddleware(get_response)
        self.locale = LocaleMiddleware(get_response)
        self.common = CommonMiddleware(get_response)
        self.gzip = GZipMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)
        self.auth = AuthenticationMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if seconds() <= 0 or not _eligible(request):
            return self.get_response(request)
        self.locale.process_request(request)  # the language: from the path or cookie

        def keys_for(user_id: str) -> list[str]:
            key = _entry_key(request, user_id)
            user_key = f"{USER_PREFIX}:{user_id}"
            return [] if key is None else [VERSION_KEY, ALL_KEY, user_key, key]

        user_id, asked, found = session_and_keys(
            request, self.session.SessionStore, keys_for
        )
        if not asked or "_messages" in request.session:
            return self.get_response(request)
        user_key, key = asked[2], asked[3]
        versions = (
            found.get(VERSION_KEY, 0),
            found.get(ALL_KEY, 0),
            found.get(user_key),
        )
        entry = found.get(key)
        if entry is not None and versions[-1] is not None:
            answer = self._answer(request, entry, versions)
            if answer is not None:
                return answer
        return self._render(request, key, user_key, versions)

    def _answer(
        self, request: HttpRequest, entry: dict[str, Any], versions: tuple[Any, ...]
    ) -> HttpResponseBase | None:
        if entry["versions"] != versions or entry["until"] <= time.time():
            return None
        if not _signed_in_as(request, entry):
            return None  # signed out, password changed, another user: Django answers
        self.csrf.process_request(request)
        self.auth.process_request(request)  # request.user stays lazy: not read here
        # one token masked afresh for this answer (what BREACH asks: every answer
        # differs), the same in each of its forms, as a form rendered twice would be
        parts: list[bytes] = entry["parts"]
        token = get_token(request).encode() if len(parts) > 1 else b""
        deflated = entry["deflated"]
        gzipped = (
            deflated is not None
            and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            and entry["size"] >= _GZIP_MIN
        )
        response: HttpResponseBase = HttpResponse(
            spliced(parts, deflated, token) if gzipped else token.join(parts)
        )
        for name, value in entry["headers"]:
            response[name] = value
        response = self.csrf.process_response(request, response)
        if gzipped:  # as GZipMiddleware answers, compressed once when kept
            response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
        else:
            response = self.gzip.process_response(request, response)
        response = self.common.process_response(request, response)
        return self.session.process_response(request, response)  # type: ignore[arg-type]

    def _render(
        self,
        request: HttpRequest,
        key: str,
        user_key: str,
        versions: tuple[Any, ...],
    ) -> HttpResponseBase:
        if versions[-1] is None:  # first time: a version to keep under
            cache.add(user_key, time.time_ns(), None)
            versions = (*versions[:-1], cache.get(user_key))
        accept = request.META.pop("HTTP_ACCEPT_ENCODING", None)
        response = self.get_response(request)
        if accept is not None:
            request.META["HTTP_ACCEPT_ENCODING"] = accept
        entry = _entry(request, response, versions)
        if entry is not None:
            timeout = min(seconds(), int(entry["until"] - time.time()))
            if timeout > 0:
                cache.set(key, entry, timeout)
        return self.gzip.process_response(request, response)


def _plain_user(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.is_active and not user.is_staff
    ) and not getattr(user, "is_superuser", False)


def _entry(
    request: HttpRequest, response: HttpResponseBase, versions: tuple[Any, ...]
) -> dict[str, Any] | None:
    until = getattr(request, _KEEP, None)
    user = getattr(request, "user", None)
    if until is None or user is None or versions[-1] is None or not _plain_user(user):
        return None
    if (
        response.status_code != 200
        or response.streaming
        or response.has_header("Content-Encoding")
        or "private" not in response.get("Cache-Control", "")
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        or len(getattr(request, "_messages", ()))
    ):
        return None
    secret = request.META.get("CSRF_COOKIE")
    text = response.content.decode()  # type: ignore[attr-defined]
    if not secret or _PLACEHOLDER in text:
        return None
    session = request.session
    auth_hash = user.get_session_auth_hash()
    if str(session.get(SESSION_KEY)) != str(user.pk) or not constant_time_compare(
        session.get(HASH_SESSION_KEY, ""), auth_hash
    ):
        return None  # a sign-in this request changed (or a hash being rotated)
    body = _TOKEN_INPUT.sub(rf"\1{_PLACEHOLDER}\3", text)
    parts = [part.encode() for part in body.split(_PLACEHOLDER)]
    unmask = django_csrf._unmask_cipher_token  # type: ignore[attr-defined]
    if any(unmask(t) == secret for t in _ANY_TOKEN.findall(body)):
        return None  # a token this module would not mask again
    return {
        "parts": parts,
        "size": len(response.content),  # type: ignore[attr-defined]
        "deflated": deflate_parts(parts, CSRF_TOKEN_LENGTH),
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_KEPT
        ],
        "versions": versions,
        "until": float(until),
        "user_id": user.pk,
        "backend": session.get(BACKEND_SESSION_KEY),
        "hash": auth_hash,
    }


def connect_invalidation() -> None:
    """Any save of a user (password, name, roles, permissions, active), sign-in and
    sign-out."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def saved(sender: Any, instance: Any, **kwargs: Any) -> None:
        user_state_changed(instance.pk)

    def signed(sender: Any, user: Any = None, **kwargs: Any) -> None:
        if user is not None:
            user_state_changed(user.pk)

    def roles(
        sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any
    ) -> None:
        if not action.startswith("post_"):
            return
        if not reverse:  # user.groups.add(...)
            user_state_changed(instance.pk)
        elif action == "post_clear":  # group.user_set.clear(): who is gone is unknown
            personal_pages_all_changed()
        else:  # group.user_set.add(users...)
            for pk in kwargs.get("pk_set") or ():
                user_state_changed(pk)

    model = get_user_model()
    post_save.connect(saved, sender=model, dispatch_uid="personal_pages_user")
    post_delete.connect(saved, sender=model, dispatch_uid="personal_pages_user_del")
    user_logged_in.connect(signed, dispatch_uid="personal_pages_in")
    user_logged_out.connect(signed, dispatch_uid="personal_pages_out")
    m2m_changed.connect(
        roles, sender=model.groups.through, dispatch_uid="personal_pages_roles"
    )
    # a permission given to the user directly (the CMS's access_admin adds a tool
    # to the dashboard, which then is not kept)
    m2m_changed.connect(
        roles,
        sender=model.user_permissions.through,
        dispatch_uid="personal_pages_permissions",
    )
