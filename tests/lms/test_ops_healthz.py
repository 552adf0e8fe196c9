"""`/healthz` (the full report) and `/healthz/web` (the load balancer's probe)."""

from __future__ import annotations

import socket
import time

import pytest
from django.db import connection

from lms.ops.heartbeat import STALE_AFTER_INTERVALS, sweep_record

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media"],
    }
}


@pytest.fixture(autouse=True)
def _no_heartbeat():
    from django.core.cache import cache

    cache.delete("ops:sweep:last_at")


def _expected_parts(settings) -> list[str]:
    parts = ["database", "cache", "channel_layer", "task_queue", "worker"]
    return parts[:1] + ["redis"] + parts[1:] if settings.REDIS_URL else parts


def test_healthz_reports_every_part_up(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "down": [],
        "checks": dict.fromkeys(_expected_parts(settings), "ok"),
    }


def test_healthz_names_the_cache_when_it_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database" in response.json()["down"]


def test_healthz_names_the_channel_layer_when_it_is_down(client, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["down"] == ["channel_layer"]


def test_a_worker_that_never_swept_is_named_down_but_the_web_probe_stays_green(
    client, settings
):
    settings.TASKS = DB_TASKS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]
    assert response.json()["checks"]["task_queue"] == "ok"
    web = client.get("/healthz/web")
    assert web.status_code == 200
    assert set(web.json()["checks"]) >= {"database", "cache"}


def test_a_recent_sweep_makes_the_worker_ok_and_a_stale_one_down(client, settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_SWEEP_EVERY_S = 10
    sweep_record()
    assert client.get("/healthz").status_code == 200
    sweep_record(at=time.time() - (STALE_AFTER_INTERVALS + 1) * 10)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]


def test_the_sweep_task_records_the_heartbeat_healthz_reads(client, settings):
    from lms.ops.tasks import sweep

    settings.TASKS = DB_TASKS
    assert client.get("/healthz").status_code == 503
    settings.TASKS = {"default": {**DB_TASKS["default"], "BACKEND": _IMMEDIATE}}
    sweep.enqueue()
    settings.TASKS = DB_TASKS
    assert client.get("/healthz").status_code == 200


_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def test_the_task_queue_is_named_when_its_table_does_not_answer(
    client, settings, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    sweep_record()

    def broken(*args, **kwargs):
        raise connection.OperationalError("relation does not exist")

    monkeypatch.setattr(DBTaskResult.objects, "exists", broken)
    response = client.get("/healthz")
    assert response.json()["down"] == ["task_queue"]


def test_without_redis_url_there_is_no_redis_check(client, settings):
    settings.REDIS_URL = ""
    assert "redis" not in client.get("/healthz").json()["checks"]


def test_a_closed_redis_port_is_named_redis_at_once(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["down"] and body["checks"]["database"] == "ok"
    assert client.get("/healthz/web").json()["down"][0] == "redis"


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_redis_that_never_answers_fails_the_whole_report_within_two_seconds(
    client, settings, silent_server
):
    """Everything Redis backs would wait forever: it is reported down untried."""
    settings.REDIS_URL = silent_server
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": silent_server,
        }
    }
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed
    assert response.status_code == 503
    body = response.json()
    assert body["down"][0] == "redis" and "cache" in body["down"]
    assert body["checks"]["database"] == "ok"
    started = time.monotonic()
    assert client.get("/healthz/web").status_code == 503
    assert time.monotonic() - started < 2.5
