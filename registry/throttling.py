"""Rate limit (scope "verify") shared by the verification page, the JSON API and the
ASGI fast path (registry/verify_asgi.py): a fixed-window counter per client address
in the cache (one INCR on Redis), so all three spend the same budget.

DRF's SimpleRateThrottle keeps a list of every request time per client and rewrites it
on each request: O(requests per window) per request, which a busy verifier cannot pay.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

SCOPE = "verify"


def client_ident(
    *, remote_addr: str | None, forwarded_for: str | None, num_proxies: int | None
) -> str:
    """The client address the limit counts against.

    Without a configured proxy count DRF would trust the whole X-Forwarded-For header,
    which a client can vary to dodge the limit: use the peer address. With
    NUM_PROXIES set, DRF's rule (the address that many hops from the end).
    """
    if num_proxies is None or num_proxies == 0 or forwarded_for is None:
        return remote_addr or ""
    addrs = forwarded_for.split(",")
    return addrs[-min(num_proxies, len(addrs))].strip()


def now() -> float:
    """The clock the windows follow (tests pin it)."""
    return time.time()


def counter_key(ident: str, period_s: int) -> tuple[str, int]:
    """(cache key of the current window's counter, seconds until the window ends)."""
    moment = now()
    window = int(moment // period_s)
    retry_after = max(1, int((window + 1) * period_s - moment))
    return f"throttle:{SCOPE}:{window}:{ident}", retry_after


def counter_hit(key: str, period_s: int) -> int:
    """Count one request in the window through Django's cache API (any backend)."""
    cache.add(key, 0, period_s + 1)
    try:
        return cache.incr(key)
    except ValueError:  # the window's key expired between add() and incr()
        cache.set(key, 1, period_s + 1)
        return 1


class VerifyThrottle(SimpleRateThrottle):
    scope = SCOPE

    def get_ident(self, request) -> str:
        return client_ident(
            remote_addr=request.META.get("REMOTE_ADDR"),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
            num_proxies=api_settings.NUM_PROXIES,
        )

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key, self._retry_after = counter_key(self.get_ident(request), self.duration)
        return counter_hit(key, self.duration) <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self, "_retry_after", None)
