"""`/healthz`: the state of every part the platform needs; `/healthz/web`: can this
web node serve (the load balancer's probe, green while only the worker is down)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from lms.ops.status import task_store_check, worker_check

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    """A real PING with a short timeout: an unreachable Redis answers in ~1 s."""
    timeout = settings.HEALTHZ_REDIS_TIMEOUT_S
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry_on_timeout=False,
    )
    try:
        if not client.ping():
            raise RuntimeError("Redis did not answer PING")
    finally:
        client.close()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(roundtrip)()


Check = Callable[[], None]
# With REDIS_URL set, everything after "redis" lives in Redis: when the PING failed
# they are reported down without being tried (each would wait out its own timeout).
WEB_CHECKS: dict[str, Check] = {"database": check_database, "cache": check_cache}
FULL_CHECKS: dict[str, Check] = {
    **WEB_CHECKS,
    "channel_layer": check_channel_layer,
    "task_queue": task_store_check,
    "worker": worker_check,
}


def run_checks(checks: dict[str, Check]) -> dict[str, str]:
    """Each check's state, "ok" or "down"; Redis first when the settings use it."""
    plan = dict(checks)
    if settings.REDIS_URL:
        plan = {"database": plan.pop("database"), "redis": check_redis, **plan}
    results: dict[str, str] = {}
    redis_down = False
    for name, check in plan.items():
        if redis_down and name not in {"database", "redis"}:
            results[name] = "down"
            continue
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            logger.warning("healthz: %s is down: %s", name, exc)
            results[name] = "down"
            redis_down = redis_down or name == "redis"
        else:
            results[name] = "ok"
    return results


def _answer(results: dict[str, str]) -> JsonResponse:
    down = [name for name, state in results.items() if state != "ok"]
    return JsonResponse(
        {"status": "down" if down else "ok", "down": down, "checks": results},
        status=503 if down else 200,
    )


@never_cache
def healthz(request):
    """The full report: database, Redis, cache, channel layer, task queue, worker."""
    return _answer(run_checks(FULL_CHECKS))


@never_cache
def healthz_web(request):
    """What a web node needs to serve: the database and the cache (and their Redis)."""
    return _answer(run_checks(WEB_CHECKS))
