"""Django's Redis cache with one client (and so one connection pool) per process.

Django keeps a cache object per thread or async context, and each RedisCache object
builds its own client and pool. Under ASGI every request runs in a fresh context, so
every request that touched the cache opened a new TCP connection to Redis and dropped
it afterwards. redis-py's pools are thread-safe: share one per server list + options.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[tuple[str, ...] | tuple[Any, ...], RedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
