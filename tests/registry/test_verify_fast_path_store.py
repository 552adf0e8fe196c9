"""The verification fast path's Redis store (redis-py): count and read in one trip."""

import pytest

from tests.conftest import requires_redis


@requires_redis
@pytest.mark.django_db
async def test_fast_path_store_counts_and_reads_even_after_a_script_flush():
    from django.conf import settings

    from registry.verify_asgi import _RedisStore

    store = _RedisStore(settings.CACHES["default"]["LOCATION"])
    try:
        await store._redis.script_flush()  # a restarted Redis forgets the script
        count, answer = await store.hit("store-test:counter", 60, "store-test:none")
        again, _answer = await store.hit("store-test:counter", 60, None)
        assert (count, answer, again) == (1, None, 2)
        assert 0 < await store._redis.ttl("maharat:1:store-test:counter") <= 61
    finally:
        await store._redis.delete("maharat:1:store-test:counter")
        await store.aclose()
