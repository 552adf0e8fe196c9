"""ASGI fast path for the public JSON verification, `GET /api/v1/verify/<serial>/`.

Employers' systems and QR scanners hit this endpoint far more than any other, and
through Django each hit paid for a thread, a dozen middleware hops, sessions, CSRF,
locale and a DRF view around one cache read. This wrapper answers the plain case in
the event loop: the same rate limit (registry.throttling: one counter per client
address per window), the same cache entry and selector (registry.selectors), the same
JSON renderer and status codes as the DRF view, and the security headers Django's
middleware would add. On Redis the counter and the answer are one round trip.

Anything else goes to Django unchanged: other paths and methods, a query string
(`?format=api`), an Accept header asking for anything but JSON (the browsable API),
an untrusted Host, a plain-HTTP request that SECURE_SSL_REDIRECT would redirect, a
cache it cannot reach. A cache miss calls the selector in a thread (it reads the
database and fills the cache, exactly as the DRF view would).
"""

from __future__ import annotations

import asyncio
import re
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from rest_framework.exceptions import Throttled
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from lms.kernel.headers import NO_STORE, permissions_policy
from lms.kernel.redis_outage import OUTAGE_ERRORS, breaker_for, socket_timeout_s
from registry.cache import (
    verification_cache_key,
    verification_cached,
    verification_generation_arefresh,
)
from registry.selectors import (
    verification_answer,
    verification_http_status,
    verification_serial_parse,
)
from registry.throttling import (
    VerifyThrottle,
    client_ident,
    counter_hit,
    counter_key,
)

PATH = re.compile(r"/api/v1/verify/([^/]+)/")
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json", "application/*"})
_RENDERER = JSONRenderer()


class _Unavailable(Exception):
    """The cache cannot be reached: let Django answer (and report) instead."""


class _DjangoCacheStore:
    """Any cache backend, through Django's cache API in a worker thread."""

    async def hit(
        self, counter: str | None, period_s: int, answer_key: str | None
    ) -> tuple[int, Any]:
        return await sync_to_async(self._hit, thread_sensitive=False)(
            counter, period_s, answer_key
        )

    @staticmethod
    def _hit(
        counter: str | None, period_s: int, answer_key: str | None
    ) -> tuple[int, Any]:
        count = counter_hit(counter, period_s) if counter else 0
        return count, cache.get(answer_key) if answer_key else None

    async def aclose(self) -> None:
        return None


# One round trip: count the request in its window, read the cached answer.
_HIT_SCRIPT = """
local count = 0
if KEYS[1] ~= '' then
  count = redis.call('INCR', KEYS[1])
  if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
end
local answer = false
if KEYS[2] ~= '' then answer = redis.call('GET', KEYS[2]) end
return {count, answer}
"""


class _RedisStore:
    """Redis straight from the event loop, on the keys and value format Django's
    RedisCache uses: both paths share the counters, and the services' cache clearing
    (approve, revoke, import) reaches this path at once."""

    def __init__(self, url: str) -> None:
        import redis.asyncio
        from django.core.cache.backends.redis import RedisSerializer

        # The cache's short timeouts and its breaker (lms.kernel.redis_outage): while
        # Redis is down every request goes to Django at once, which answers from
        # the database without waiting on Redis either.
        timeout_s = socket_timeout_s()
        self._redis = redis.asyncio.Redis.from_url(
            url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s
        )
        self._script = self._redis.register_script(_HIT_SCRIPT)
        self._errors = (redis.exceptions.RedisError, OSError)
        self._loads = RedisSerializer().loads
        self._breaker = breaker_for(url)

    async def hit(
        self, counter: str | None, period_s: int, answer_key: str | None
    ) -> tuple[int, Any]:
        keys = [
            cache.make_key(counter) if counter else "",
            cache.make_key(answer_key) if answer_key else "",
        ]
        if not self._breaker.allow():
            raise _Unavailable
        try:
            count, raw = await self._script(keys=keys, args=[(period_s or 0) + 1])
        except self._errors as exc:
            if isinstance(exc, OUTAGE_ERRORS):
                self._breaker.failed(exc)
            raise _Unavailable from exc
        if self._breaker.succeeded():
            raise _Unavailable  # the key's generation may be stale: Django rebuilds it
        return int(count), (None if raw is None else self._loads(raw))

    async def aclose(self) -> None:
        await self._redis.aclose()


def _store() -> _DjangoCacheStore | _RedisStore:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(caches["default"], RedisCache):
        return _DjangoCacheStore()
    location = settings.CACHES["default"]["LOCATION"]
    servers = re.split("[;,]", location) if isinstance(location, str) else location
    return _RedisStore(servers[0])


def _miss(serial: str) -> dict[str, Any]:
    """Cache miss: the selector reads the database and fills the cache. Connections
    are closed as at the end of a Django request (CONN_MAX_AGE applies)."""
    close_old_connections()
    try:
        return verification_answer(serial=serial)
    finally:
        close_old_connections()


class VerifyFastPath:
    """ASGI middleware in front of Django's HTTP handler (see lms/asgi.py)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._stores: dict[asyncio.AbstractEventLoop, Any] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        serial = self._route(scope)
        if serial is None:
            return await self.app(scope, receive, send)
        headers = {
            k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]
        }
        secure = _is_secure(scope, headers)
        if not _host_allowed(headers) or (settings.SECURE_SSL_REDIRECT and not secure):
            return await self.app(scope, receive, send)
        try:
            status, extra, body = await self._answer(scope, headers, serial)
        except _Unavailable:
            return await self.app(scope, receive, send)
        response_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept"),
            (b"allow", b"GET, HEAD, OPTIONS"),
            *extra,
            *_security_headers(secure),
        ]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": response_headers,
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _route(self, scope: dict) -> str | None:
        """The serial, if this request is one the fast path answers."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope.get("query_string")
            or scope.get("root_path")
            or not getattr(settings, "REGISTRY_VERIFY_FAST_PATH", True)
        ):
            return None
        match = PATH.fullmatch(scope["path"])
        if match is None:
            return None
        for name, value in scope["headers"]:
            if name == b"accept" and not _wants_json(value):
                return None
        return match.group(1)

    async def _answer(
        self, scope: dict, headers: dict[str, str], serial: str
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        throttle = VerifyThrottle()
        client = scope.get("client")
        ident = client_ident(
            remote_addr=client[0] if client else None,
            forwarded_for=headers.get("x-forwarded-for"),
            num_proxies=api_settings.NUM_PROXIES,
        )
        compact, answer = verification_serial_parse(serial)
        await verification_generation_arefresh()
        answer_key = verification_cache_key(compact) if compact else None
        counter, retry_after = None, 0
        if throttle.rate is not None:
            counter, retry_after = counter_key(ident, throttle.duration)
        count, cached = await self._store().hit(counter, throttle.duration, answer_key)
        if counter and count > throttle.num_requests:
            return _throttled(headers, retry_after)
        if answer is None:
            answer = verification_cached(cached)
            if answer is None:
                answer = await sync_to_async(_miss, thread_sensitive=False)(compact)
        return verification_http_status(answer), [], _RENDERER.render(answer)

    def _store(self) -> Any:
        loop = asyncio.get_running_loop()
        store = self._stores.get(loop)
        if store is None:
            store = self._stores[loop] = _store()
        return store

    async def aclose(self) -> None:
        """Close this event loop's cache connections (tests; server shutdown)."""
        store = self._stores.pop(asyncio.get_running_loop(), None)
        if store is not None:
            await store.aclose()


def _wants_json(accept: bytes) -> bool:
    """True when DRF would pick the JSON renderer without parameters."""
    return all(
        part.strip() in _JSON_ACCEPTS for part in accept.decode("latin-1").split(",")
    )


def _is_secure(scope: dict, headers: dict[str, str]) -> bool:
    """HttpRequest.is_secure(), including SECURE_PROXY_SSL_HEADER."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").lower().replace("_", "-")
        value = headers.get(name)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") == "https"


def _host_allowed(headers: dict[str, str]) -> bool:
    """HttpRequest.get_host()'s check; anything unusual is left to Django."""
    if settings.USE_X_FORWARDED_HOST:
        return False
    host = headers.get("host")
    if not host:
        return False
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def _security_headers(secure: bool) -> list[tuple[bytes, bytes]]:
    """What SecurityMiddleware, XFrameOptionsMiddleware, the CSP and the kernel's
    header middleware add to a JSON response (the answer names the holder)."""
    out = [
        (b"cache-control", NO_STORE.encode()),
        (b"permissions-policy", permissions_policy().encode()),
    ]
    if csp := build_policy():
        out.append((b"content-security-policy", csp.encode()))
    if settings.X_FRAME_OPTIONS:
        out.append((b"x-frame-options", settings.X_FRAME_OPTIONS.upper().encode()))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        out.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        out.append((b"referrer-policy", policy.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        out.append(
            (
                b"cross-origin-opener-policy",
                settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode(),
            )
        )
    if secure and settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        out.append((b"strict-transport-security", value.encode()))
    return out


def _throttled(
    headers: dict[str, str], retry_after: int
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """DRF's 429 answer, in the language LocaleMiddleware would have chosen."""
    request = SimpleNamespace(
        COOKIES=parse_cookie(headers.get("cookie", "")),
        META={"HTTP_ACCEPT_LANGUAGE": headers.get("accept-language", "")},
    )
    language = translation.get_language_from_request(request)
    with translation.override(language):
        exc = Throttled(wait=retry_after)
        body = _RENDERER.render({"detail": str(exc.detail)})
    extra = [
        (b"retry-after", b"%d" % exc.wait),
        (b"content-language", language.encode()),
    ]
    return exc.status_code, extra, body
