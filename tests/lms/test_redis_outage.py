"""Redis unreachable: the cache degrades instead of failing the request, a breaker
spares each request the timeout, and lost writes are known to their callers."""

from __future__ import annotations

import logging
import socket
import threading
import time
from contextlib import closing

import pytest
import redis.exceptions

from lms.kernel.cache import SharedRedisCache
from lms.kernel.redis_outage import (
    CircuitBreaker,
    breaker_for,
    lost_cache_writes,
    reset_breakers,
)


@pytest.fixture(autouse=True)
def _fresh_breakers(settings):
    settings.REDIS_RETRY_AFTER_S = 5
    settings.REDIS_SOCKET_TIMEOUT_S = 0.25
    reset_breakers()
    yield
    reset_breakers()


def closed_port() -> int:
    """A port nothing listens on: connections are refused."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_cache() -> SharedRedisCache:
    return SharedRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"KEY_PREFIX": "outage-test"}
    )


class FlakyClient:
    """Stands in for RedisCacheClient: raises while `down`, counts every call."""

    def __init__(self):
        self.down = True
        self.calls = 0
        self.data = {}

    def get(self, key, default):
        self.calls += 1
        if self.down:
            raise redis.exceptions.ConnectionError("Error 111 connecting. Refused.")
        return self.data.get(key, default)

    def set(self, key, value, timeout):
        self.get(key, None)
        self.data[key] = value


def flaky_cache() -> tuple[SharedRedisCache, FlakyClient]:
    cache = SharedRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    client = FlakyClient()
    cache.__dict__["_cache"] = client  # the cached_property's slot
    return cache, client


def test_every_operation_answers_as_an_empty_cache_when_redis_is_down():
    cache = dead_cache()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False  # never "you hold the lock"
    assert cache.incr("counter", 3) == 3  # a counter that starts afresh
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # nothing was stored
    assert cache.delete("k") is False
    assert cache.delete_many(["a"]) is None
    assert cache.touch("k") is False
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    assert cache.clear() is False


async def test_the_async_api_degrades_too():
    cache = dead_cache()
    assert await cache.aget("k", "fallback") == "fallback"
    assert await cache.aadd("k", 1) is False


def test_a_refused_connection_costs_one_attempt_then_redis_is_skipped():
    cache, client = flaky_cache()
    started = time.monotonic()
    for _ in range(50):
        assert cache.get("k") is None
    assert client.calls == 1
    assert time.monotonic() - started < 0.5


def test_a_hung_redis_costs_one_socket_timeout_then_nothing():
    # A listening socket nobody serves: the connection opens, no reply ever comes.
    with closing(socket.socket()) as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        port = hung.getsockname()[1]
        cache = SharedRedisCache(f"redis://127.0.0.1:{port}/0", {})
        started = time.monotonic()
        assert cache.get("k", "fallback") == "fallback"
        assert 0.2 <= time.monotonic() - started < 1.0
        started = time.monotonic()
        assert cache.get("k", "fallback") == "fallback"
        assert time.monotonic() - started < 0.05


def test_redis_is_tried_again_after_the_retry_delay_and_used_when_back(settings):
    settings.REDIS_RETRY_AFTER_S = 0.2
    cache, client = flaky_cache()
    cache.set("k", "lost")  # down: dropped
    assert client.calls == 1
    time.sleep(0.25)
    client.down = False
    cache.set("k", "kept")
    assert cache.get("k") == "kept"
    assert client.calls == 3  # the probe, then every call again


def test_the_read_that_finds_redis_back_is_a_miss(settings):
    # its key may carry a generation bumped while Redis was away
    settings.REDIS_RETRY_AFTER_S = 0.05
    cache, client = flaky_cache()
    client.data[cache.make_and_validate_key("k")] = "from before the outage"
    assert cache.get("k") is None
    client.down = False
    time.sleep(0.06)
    assert cache.get("k", "miss") == "miss"
    assert cache.get("k") == "from before the outage"


def test_a_failed_probe_keeps_skipping_redis_for_another_delay(settings):
    settings.REDIS_RETRY_AFTER_S = 0.2
    cache, client = flaky_cache()
    cache.get("k")
    time.sleep(0.25)
    cache.get("k")  # the probe fails
    cache.get("k")
    assert client.calls == 2


def test_one_warning_per_outage_naming_the_server_never_the_key(caplog, settings):
    settings.REDIS_RETRY_AFTER_S = 0.05
    cache = dead_cache()
    with caplog.at_level(logging.WARNING, logger="lms.redis"):
        for _ in range(5):
            cache.get("verify:29801011234567")
            time.sleep(0.06)  # every call is a probe, and fails
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "unreachable" in message and "127.0.0.1" in message
    assert "29801011234567" not in message


def test_the_recovery_is_logged(caplog, settings):
    settings.REDIS_RETRY_AFTER_S = 0.05
    cache, client = flaky_cache()
    cache.get("k")
    client.down = False
    time.sleep(0.06)
    with caplog.at_level(logging.INFO, logger="lms.redis"):
        cache.get("k")
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_only_one_thread_probes_when_the_delay_is_over(settings):
    settings.REDIS_RETRY_AFTER_S = 0.1
    breaker = CircuitBreaker("test")
    breaker.failed(redis.exceptions.ConnectionError("refused"))
    time.sleep(0.15)
    allowed = []
    barrier = threading.Barrier(16)

    def attempt():
        barrier.wait()
        allowed.append(breaker.allow())

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1


def test_caches_of_one_server_share_its_breaker():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    first, second = SharedRedisCache(location, {}), SharedRedisCache(location, {})
    first.get("k")
    assert second.breaker is first.breaker is breaker_for(location)
    assert second.breaker.is_open


def test_a_breaker_name_never_shows_the_password():
    breaker = breaker_for("redis://:s3cret@cache.internal:6380/2")
    assert breaker.name == "cache.internal:6380/2"


def test_lost_writes_are_counted_for_the_caller_that_watches():
    cache = dead_cache()
    with lost_cache_writes() as outer:
        cache.get("k")  # a read loses nothing
        assert not outer
        with lost_cache_writes() as inner:
            cache.set("k", 1)
            cache.delete("k")
        assert inner.count == 2
    assert outer.count == 2


def test_other_errors_are_still_raised():
    cache, client = flaky_cache()

    def broken(key, default):
        raise redis.exceptions.ResponseError("WRONGTYPE")

    client.get = broken
    with pytest.raises(redis.exceptions.ResponseError):
        cache.get("k")


@pytest.mark.redis
def test_one_redis_client_per_pool_shared_by_threads():
    """Django builds a `redis.Redis` per cache call; ours keeps one per pool."""
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    cache = SharedRedisCache(url, {})
    client = cache._cache
    seen = []
    thread = threading.Thread(target=lambda: seen.append(client.get_client()))
    thread.start()
    thread.join()
    assert client.get_client() is client.get_client(write=True) is seen[0]
    cache.set("one-client-probe", 1, 5)
    assert cache.get("one-client-probe") == 1
