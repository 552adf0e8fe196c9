"""Cache generations kept in the database, for caches that must not serve an answer
older than a change they failed to record.

When Redis is unreachable the write that clears a cached answer is lost, and the
answer is still in Redis when it comes back (it keeps its data across a network
partition, and across a restart with append-only persistence). The writer then bumps
its cache's generation here, after its transaction commits; cache keys carry the
generation, so the old entries are never read again. Each process re-reads the
generations at most every `CACHE_GENERATION_CHECK_S` (one small query) and at once
after it sees a Redis outage end.
"""

from __future__ import annotations

import asyncio
import threading
import time

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F

from lms.kernel.models import CacheGeneration
from lms.kernel.redis_outage import outages_ended

_lock = threading.Lock()
_values: dict[str, int] = {}
_read_at = float("-inf")
_read_after_outages = -1


def check_every_s() -> float:
    return float(getattr(settings, "CACHE_GENERATION_CHECK_S", 5.0))


def generation_stale() -> bool:
    """True when the next `generation_get` would read the database."""
    return (
        time.monotonic() - _read_at >= check_every_s()
        or outages_ended() != _read_after_outages
    )


def generation_refresh() -> None:
    """Re-read every generation (one query)."""
    global _read_at, _read_after_outages
    outages = outages_ended()
    values = dict(CacheGeneration.objects.values_list("name", "value"))
    with _lock:
        _values.clear()
        _values.update(values)
        _read_at, _read_after_outages = time.monotonic(), outages


def generation_get(name: str) -> int:
    """The generation of cache `name` (0 until first bumped). Inside an event loop
    it never blocks on the database: the last value read is used (the verification
    fast path refreshes in a thread first, `generation_arefresh`)."""
    if generation_stale() and not _in_event_loop():
        generation_refresh()
    return _values.get(name, 0)


async def generation_arefresh() -> None:
    """`generation_refresh` from async code, in a worker thread, when it is due."""
    from asgiref.sync import sync_to_async

    if generation_stale():
        await sync_to_async(_refresh_closing, thread_sensitive=False)()


def _refresh_closing() -> None:
    close_old_connections()
    try:
        generation_refresh()
    finally:
        close_old_connections()


def generation_bump(name: str) -> None:
    """Abandon every entry cached under `name` so far; deferred until the current
    transaction commits (a rolled-back change needs no bump, and the new value is
    only used once others can read it)."""
    transaction.on_commit(lambda: _bump(name))


def _bump(name: str) -> None:
    with transaction.atomic():
        CacheGeneration.objects.get_or_create(name=name)
        CacheGeneration.objects.filter(name=name).update(value=F("value") + 1)
    generation_refresh()


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
