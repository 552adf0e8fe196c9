"""The verification answer is cached (Redis in production), cleared on every change.

Clearing leaves a short-lived marker instead of deleting the entry, and a cache miss
fills the entry with `add` (set only if absent). A reader that read the database just
before a revocation committed therefore cannot put the old answer back: its `add`
meets the marker and fails. While the marker lives every verification of that serial
reads the database (an answer, never the marker, is what callers see).

When Redis is unreachable the marker cannot be written, and the old answer would be
served again once Redis is back (it keeps its data across a partition, and across a
restart with append-only persistence): a change whose marker was lost bumps the
registry's cache generation in the database instead (lms.kernel.generations), which
every key carries, so every answer cached before it is abandoned.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from django.core.cache import cache

from lms.kernel.generations import generation_arefresh, generation_bump, generation_get
from lms.kernel.redis_outage import lost_cache_writes

VERIFY_TTL_S = 3600
UNKNOWN_TTL_S = 60
# Longer than any database read between a cache miss and its fill can take.
CHANGED_GUARD_S = 60
CHANGED = "registry:changed"
GENERATION = "registry"


def verification_cache_key(serial: str) -> str:
    # v2: answers mask the national ID to its last four digits; a v1 entry left in
    # Redis by the previous release still showed the birth date.
    return f"registry:verify:v2:{generation_get(GENERATION)}:{serial}"


async def verification_generation_arefresh() -> None:
    """Before building keys in the event loop (registry.verify_asgi)."""
    await generation_arefresh()


def verification_cached(value: Any) -> dict[str, Any] | None:
    """The answer a cache read gave, or None for a miss or a recent change."""
    return value if isinstance(value, dict) else None


def verification_cache_fill(
    *, serial: str, answer: dict[str, Any], known: bool
) -> None:
    """Cache a freshly read answer, unless the certificate changed meanwhile."""
    cache.add(
        verification_cache_key(serial),
        answer,
        VERIFY_TTL_S if known else UNKNOWN_TTL_S,
    )


def verification_cache_clear(*, serial: str) -> None:
    verification_cache_clear_many(serials=[serial])


def verification_cache_clear_many(*, serials: list[str]) -> None:
    if not serials:
        return
    with lost_cache_writes() as lost:
        cache.set_many(
            {verification_cache_key(s): CHANGED for s in serials}, CHANGED_GUARD_S
        )
    if lost:
        generation_bump(GENERATION)


# --- Statistics ------------------------------------------------------------------
# Counting a registry of millions takes about a second per million rows, so answers
# are kept until the registry changes: every change writes the audit log, whose
# append bumps this version (now, and again after commit), and the key carries it.
STATS_TTL_S = 3600
_VERSION_KEY = "registry:version"


def registry_changed() -> None:
    """Called by the audit log for every change: cached statistics go stale."""
    with lost_cache_writes() as lost:
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:  # never set, or evicted: start from a value never used
            cache.add(_VERSION_KEY, time.time_ns(), None)
    if lost:
        generation_bump(GENERATION)


def statistics_cache_key(filters: dict[str, Any]) -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, time.time_ns(), None)
        version = cache.get(_VERSION_KEY)
    canonical = json.dumps(filters, sort_keys=True, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return f"registry:stats:v1:{generation_get(GENERATION)}:{version}:{digest}"
