"""Django's Redis cache, shared per process and degrading when Redis is down.

One client (and so one connection pool) per process: Django keeps a cache object per
thread or async context, and each RedisCache object builds its own client and pool.
Under ASGI every request runs in a fresh context, so every request that touched the
cache opened a new TCP connection to Redis and dropped it afterwards. redis-py's
pools are thread-safe: share one per server list + options.

Degrading: when Redis cannot be reached (lms.kernel.redis_outage) every operation
answers as an empty cache that keeps nothing: reads miss, writes are dropped (and
counted for callers that watch, `lost_cache_writes`), `add` answers False ("not
added": a caller that uses it as a lock does not think it holds one) and `incr`
answers `delta` (a counter that starts afresh: throttles and failure counts let the
request through rather than refuse it). The read that finds Redis back is answered
as a miss too: its key may carry a cache generation (lms.kernel.generations) that a
change made during the outage has since bumped. Short socket timeouts and a circuit
breaker keep each request from waiting on Redis.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

from lms.kernel.redis_outage import (
    OUTAGE_ERRORS,
    CircuitBreaker,
    breaker_for,
    note_lost_write,
    socket_timeout_s,
)


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` object per connection pool: Django
    builds a new one (its option parsing, its response-callback tables) for every
    cache call, a tenth of a kept page's CPU. A `redis.Redis` is thread-safe: each
    command takes a connection from the pool and gives it back."""

    # set by RedisCacheClient.__init__ (untyped in django-stubs)
    _servers: list[str]
    _pools: dict[int, Any]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._redis: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._redis.get(index)
        if client is None:
            with _lock:
                client = self._redis.get(index)
                if client is None:
                    if index not in self._pools:
                        self._pools[index] = self._pool_class.from_url(
                            self._servers[index], **self._pool_options
                        )
                    pool = self._pools[index]
                    client = self._redis[index] = self._client(connection_pool=pool)
        return client


_clients: dict[tuple[str, ...] | tuple[Any, ...], RedisCacheClient] = {}
_lock = threading.Lock()
T = TypeVar("T")


class SharedRedisCache(RedisCache):
    # set by RedisCache.__init__ (untyped in django-stubs)
    _servers: list[str]
    _class: type[RedisCacheClient]
    _options: dict[str, Any]

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        if self._class is RedisCacheClient:
            self._class = SharedRedisCacheClient
        self._options = {
            "socket_connect_timeout": socket_timeout_s(),
            "socket_timeout": socket_timeout_s(),
            **self._options,
        }

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client

    @cached_property
    def breaker(self) -> CircuitBreaker:
        return breaker_for(self._servers[0])

    def _guarded(self, call: Callable[[], T], fallback: T, *, write: bool) -> T:
        if self.breaker.allow():
            try:
                result = call()
            except OUTAGE_ERRORS as exc:
                self.breaker.failed(exc)
            else:
                if not self.breaker.succeeded() or write:
                    return result
                return fallback  # the first read after an outage is a miss
        if write:
            note_lost_write()
        return fallback

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        add = super().add
        return self._guarded(
            lambda: add(key, value, timeout, version), False, write=True
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        get = super().get
        return self._guarded(lambda: get(key, default, version), default, write=False)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        set_ = super().set
        self._guarded(lambda: set_(key, value, timeout, version), None, write=True)

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        touch = super().touch
        return self._guarded(lambda: touch(key, timeout, version), False, write=True)

    def delete(self, key: Any, version: Any = None) -> bool:
        delete = super().delete
        return self._guarded(lambda: delete(key, version), False, write=True)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        get_many = super().get_many
        return self._guarded(lambda: get_many(keys, version), {}, write=False)

    def has_key(self, key: Any, version: Any = None) -> bool:
        has_key = super().has_key
        return self._guarded(lambda: has_key(key, version), False, write=False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        incr = super().incr
        return self._guarded(lambda: incr(key, delta, version), delta, write=True)

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list:
        """Django's contract: the keys that were not stored (all of them, degraded)."""
        set_many = super().set_many
        return self._guarded(
            lambda: set_many(data, timeout, version), list(data), write=True
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        delete_many = super().delete_many
        self._guarded(lambda: delete_many(keys, version), None, write=True)

    def clear(self) -> bool:  # type: ignore[override]  # Django's returns a bool
        clear: Callable[[], bool] = super().clear  # type: ignore[assignment]
        return self._guarded(clear, False, write=True)
