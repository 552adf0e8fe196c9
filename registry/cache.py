"""The verification answer is cached (Redis in production), cleared on every change."""

from __future__ import annotations

from django.core.cache import cache

VERIFY_TTL_S = 3600
UNKNOWN_TTL_S = 60


def verification_cache_key(serial: str) -> str:
    return f"registry:verify:v1:{serial}"


def verification_cache_clear(*, serial: str) -> None:
    cache.delete(verification_cache_key(serial))


def verification_cache_clear_many(*, serials: list[str]) -> None:
    if serials:
        cache.delete_many([verification_cache_key(s) for s in serials])
