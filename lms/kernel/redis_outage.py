"""What every Redis client here does when Redis cannot be reached: fail fast, skip
Redis for a while, say so once, and let the caller degrade instead of answering 500.

Production keeps the cache, the sessions' cache layer, the channel layer, the task
queues and the throttles in Redis; PostgreSQL holds everything that matters. A Redis
outage must cost speed, not pages. Without a breaker every request would wait out a
connect timeout; with one, one caller per `REDIS_RETRY_AFTER_S` probes and the others
skip Redis at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis.exceptions
from django.conf import settings

logger = logging.getLogger("lms.redis")

# A refused or timed-out connection, a Redis still loading its data, a replica that
# refuses writes during a failover. Anything else (a wrong type, a bad script) is a
# bug and is raised as before.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,
)
WARNING_EVERY_S = 60.0


def socket_timeout_s() -> float:
    return float(getattr(settings, "REDIS_SOCKET_TIMEOUT_S", 0.5))


def retry_after_s() -> float:
    return float(getattr(settings, "REDIS_RETRY_AFTER_S", 5.0))


class CircuitBreaker:
    """Closed: every call goes to Redis. After a failure, open: calls are skipped
    for `REDIS_RETRY_AFTER_S`; then one caller probes (the others keep skipping) and
    its success closes the breaker again. Thread-safe; cheap while closed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._down_since: float | None = None
        self._warned_at = -WARNING_EVERY_S

    @property
    def is_open(self) -> bool:
        return self._down_since is not None

    def allow(self) -> bool:
        """May this call try Redis? (False: degrade at once, Redis is down.)"""
        if self._down_since is None:
            return True
        now = time.monotonic()
        with self._lock:
            if self._down_since is None:
                return True
            if now < self._open_until:
                return False
            self._open_until = now + retry_after_s()  # this caller is the probe
            return True

    def succeeded(self) -> bool:
        """Record a call that reached Redis; True if it ended an outage (what it
        read was looked up under keys built before the generations were re-read:
        callers treat it as a miss)."""
        if self._down_since is None:
            return False
        with self._lock:
            if self._down_since is None:
                return False
            down_s = time.monotonic() - self._down_since
            self._down_since, self._open_until = None, 0.0
        _outage_ended()
        logger.info("Redis %s reachable again after %.1f s", self.name, down_s)
        return True

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._open_until = now + retry_after_s()
            if self._down_since is None:
                self._down_since = now
            warn = now - self._warned_at >= WARNING_EVERY_S
            if warn:
                self._warned_at = now
        if warn:
            # The error's own text names host and port, never a key or a value.
            logger.warning(
                "Redis %s unreachable (%s: %s): degrading, retrying every %.0f s",
                self.name,
                type(exc).__name__,
                exc,
                retry_after_s(),
            )


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> CircuitBreaker:
    """The process's breaker for one Redis server (a URL) or queue (any name): the
    cache and the verification fast path share the one of the cache's server."""
    name = _display_name(location)
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(name)
    return breaker


def _display_name(location: str) -> str:
    """host:port/db of a Redis URL (never its password); other names as given."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"


def reset_breakers() -> None:
    """Forget every outage (tests)."""
    with _breakers_lock:
        _breakers.clear()


# --- Outages seen, for caches that must not trust what they held before ------------
_outages_ended = 0


def _outage_ended() -> None:
    global _outages_ended
    _outages_ended += 1


def outages_ended() -> int:
    """How many outages this process has seen end (lms.kernel.generations re-reads
    its generations when this changes)."""
    return _outages_ended


# --- Lost writes ---------------------------------------------------------------------
@dataclass
class LostWrites:
    count: int = 0

    def __bool__(self) -> bool:
        return self.count > 0


_watches: ContextVar[tuple[LostWrites, ...]] = ContextVar("lost_writes", default=())


@contextmanager
def lost_cache_writes() -> Iterator[LostWrites]:
    """Count the cache writes the degraded cache dropped inside this block: a caller
    whose write must not be lost (an invalidation) learns it and can compensate."""
    watch = LostWrites()
    token = _watches.set((*_watches.get(), watch))
    try:
        yield watch
    finally:
        _watches.reset(token)


def note_lost_write() -> None:
    for watch in _watches.get():
        watch.count += 1
