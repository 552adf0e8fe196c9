"""The sweep's heartbeat and its enqueue lock, kept in the shared cache.

The sweep task records when it last finished; `/healthz` reads it. A worker that is
down, or that fails every job, never finishes a sweep, so its heartbeat goes stale.
The lock lets several worker processes run the periodic loop while only one of them
enqueues a sweep per interval.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.cache import cache

LAST_SWEEP_KEY = "ops:sweep:last_at"
ENQUEUE_LOCK_KEY = "ops:sweep:enqueue-lock"
STALE_AFTER_INTERVALS = 3


def sweep_every_s() -> int:
    return max(1, int(settings.TASKS_SWEEP_EVERY_S))


def sweep_record(*, at: float | None = None) -> None:
    """Remember that a sweep has just finished (the worker's heartbeat)."""
    keep_s = max(3600, 10 * sweep_every_s())
    cache.set(LAST_SWEEP_KEY, time.time() if at is None else at, keep_s)


def sweep_last_at() -> float | None:
    """When the last sweep finished (epoch seconds), or None if none is known."""
    value = cache.get(LAST_SWEEP_KEY)
    return float(value) if value is not None else None


def sweep_is_recent(*, now: float | None = None) -> bool:
    """Did a sweep finish within the last few intervals?"""
    last = sweep_last_at()
    if last is None:
        return False
    now = time.time() if now is None else now
    return now - last <= STALE_AFTER_INTERVALS * sweep_every_s()


def sweep_enqueue_claim() -> bool:
    """True for one worker process per interval (cache `add` with a TTL)."""
    ttl = max(1, sweep_every_s() - 1)
    return bool(cache.add(ENQUEUE_LOCK_KEY, os.getpid(), ttl))
