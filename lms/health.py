"""`/healthz`: the state of every part the platform needs (load balancers, people)."""

from __future__ import annotations

import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


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


def check_task_queue() -> None:
    backend = default_task_backend
    path = f"{type(backend).__module__}.{type(backend).__name__}"
    if path.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    elif path.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection(backend.queues and next(iter(backend.queues))).ping()


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "task_queue": check_task_queue,
}


@never_cache
def healthz(request):
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            logger.warning("healthz: %s is down: %s", name, exc)
            results[name] = "down"
        else:
            results[name] = "ok"
    down = [name for name, state in results.items() if state != "ok"]
    return JsonResponse(
        {"status": "down" if down else "ok", "down": down, "checks": results},
        status=503 if down else 200,
    )
