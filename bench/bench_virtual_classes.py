"""Load benchmark of the classroom: N WebSocket clients in one class.

Runs the real ASGI server (uvicorn) with the Redis channel layer and PostgreSQL,
connects N clients with the `websockets` library (session cookie, allowed origin),
has a few of them chat, and prints per N: connect success, broadcast latency
p50/p99 (send → every receiver) and messages lost. Goal: N = 500 with p99 ≤ 250 ms
and nothing lost. Not a test: it prints figures.

Environment (defaults in brackets): BENCH_DATABASE_URL
[postgres://postgres@127.0.0.1:5432/maharat_classes_bench], BENCH_REDIS_URL
[redis://127.0.0.1:6379/5], BENCH_PORT [8105], BENCH_SIZES [100,250,500],
BENCH_MESSAGES [40], BENCH_LAYER [pubsub|core], BENCH_WORKERS [2].
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maharat_classes_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_PORT", "8105"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,250,500").split(",")]
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "40"))
FLAVOUR = os.environ.get("BENCH_LAYER", "pubsub")  # "pubsub" or "core"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # uvicorn processes (one per core)
SENDERS = 20  # distinct users, so the per-user chat rate limit is respected
SEND_INTERVAL_S = 0.1
DRAIN_S = 30  # a message not delivered within this after the last send counts lost

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
sys.path.insert(0, str(ROOT))


def prepare_database() -> None:
    import psycopg

    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
    )


def make_class_with_users(n: int) -> tuple[int, list[str]]:
    """A course, a class open now, n enrolled trainees; their session keys."""
    import datetime as dt
    import uuid

    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from wagtail.models import Page

    from courses.models import CoursePage, Enrollment
    from registry.models import Occupation, SkillLevel
    from virtual_classes.models import LiveClass

    User = get_user_model()
    trainee_group = Group.objects.get(name="trainee")
    instructor, _ = User.objects.get_or_create(username="bench-instructor")
    run = uuid.uuid4().hex[:6]
    course = Page.objects.get(depth=2).specific.add_child(
        instance=CoursePage(
            title=f"bench {run}",
            slug=f"bench-{run}",
            occupation=Occupation.objects.order_by("code").first(),
            skill_level=SkillLevel.objects.order_by("rank").first(),
        )
    )
    users = []
    for i in range(n):
        user, created = User.objects.get_or_create(
            username=f"bench-{i:04d}", defaults={"full_name_ar": f"متدرب {i}"}
        )
        if created:
            user.groups.add(trainee_group)
        users.append(user)
    Enrollment.objects.bulk_create(
        [Enrollment(user=u, course=course) for u in users], ignore_conflicts=True
    )
    live_class = LiveClass.objects.create(
        course=course,
        instructor=instructor,
        title=f"bench {n}",
        starts_at=timezone.now() + dt.timedelta(minutes=1),
        duration_min=120,
        capacity=n + 10,
    )
    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "lms.accounts.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        keys.append(store.session_key)
    return live_class.id, keys


def start_server() -> subprocess.Popen:
    # persistent DB connections: each consumer call would otherwise reconnect
    env = {**os.environ, "DEBUG": "1", "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "60"}
    env["CHANNEL_LAYER_FLAVOUR"] = FLAVOUR
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "lms.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--ws",
            "websockets-sansio",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(600):  # two workers import Django on a busy machine: be patient
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("uvicorn did not start")


class Client:
    def __init__(self, session_key: str) -> None:
        self.session_key = session_key
        self.ws = None
        self.received: dict[int, float] = {}
        self.errors: list[str] = []
        self.ok = False

    async def connect(self, class_id: int) -> None:
        import websockets

        try:
            self.ws = await websockets.connect(
                f"ws://127.0.0.1:{PORT}/ws/classes/{class_id}/",
                additional_headers={"Cookie": f"sessionid={self.session_key}"},
                origin=f"http://127.0.0.1:{PORT}",
                open_timeout=60,
                max_queue=None,
            )
            first = json.loads(await asyncio.wait_for(self.ws.recv(), 60))
            self.ok = first.get("type") == "snapshot"
        except Exception as error:  # noqa: BLE001 (any failure counts as not connected)
            print(f"  connect failed: {type(error).__name__}: {error}")
            self.ok = False

    async def listen(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame.get("type") == "error":
                    self.errors.append(frame.get("code", ""))
                if frame.get("type") == "chat.message":
                    text = frame["message"]["text"]
                    if text.startswith("bench:"):
                        self.received[int(text.split(":")[1])] = time.perf_counter()
        except Exception:  # noqa: BLE001 (closing at the end of the round)
            return


async def run_round(n: int) -> dict:
    class_id, keys = await asyncio.to_thread(make_class_with_users, n)
    clients = [Client(k) for k in keys]
    started = time.perf_counter()
    for i in range(0, n, 50):  # connect in waves, as a class fills up
        await asyncio.gather(*(c.connect(class_id) for c in clients[i : i + 50]))
    connect_s = time.perf_counter() - started
    ok = [c for c in clients if c.ok]
    listeners = [asyncio.create_task(c.listen()) for c in ok]
    await asyncio.sleep(2)  # let the presence broadcasts settle
    senders = ok[:SENDERS]
    sent_at: dict[int, float] = {}
    for seq in range(MESSAGES):
        sender = senders[seq % len(senders)]
        sent_at[seq] = time.perf_counter()
        await sender.ws.send(json.dumps({"type": "chat.send", "text": f"bench:{seq}:"}))
        await asyncio.sleep(SEND_INTERVAL_S)
    deadline = time.perf_counter() + DRAIN_S  # wait for stragglers, then count
    while time.perf_counter() < deadline and any(
        len(c.received) < len(sent_at) for c in ok
    ):
        await asyncio.sleep(0.2)
    latencies, lost = [], 0
    for client in ok:
        for seq, t0 in sent_at.items():
            t1 = client.received.get(seq)
            if t1 is None:
                lost += 1
            else:
                latencies.append((t1 - t0) * 1000)
    errors = [e for c in ok for e in c.errors]
    if errors:
        print(f"  error frames received: {len(errors)} (first: {errors[0]})")
    for client in ok:
        await client.ws.close()
    for task in listeners:
        task.cancel()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return {
        "n": n,
        "connected": len(ok),
        "connect_s": connect_s,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": pct(0.99) if latencies else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "lost": lost,
        "expected": len(ok) * len(sent_at),
    }


async def main() -> None:
    import django

    prepare_database()
    django.setup()
    server = start_server()
    try:
        print(
            f"classroom bench: uvicorn :{PORT} x{WORKERS} workers, "
            f"Redis layer '{FLAVOUR}' {REDIS_URL}, "
            f"{MESSAGES} chat messages from {SENDERS} senders every "
            f"{SEND_INTERVAL_S * 1000:.0f} ms, broadcast to every client"
        )
        print(f"machine: {os.cpu_count()} cores, shared with other work")
        for n in SIZES:
            r = await run_round(n)
            print(
                f"N={r['n']:>4}  connected {r['connected']}/{r['n']} "
                f"in {r['connect_s']:.1f} s  latency p50 {r['p50']:.0f} ms  "
                f"p99 {r['p99']:.0f} ms  max {r['max']:.0f} ms  "
                f"lost {r['lost']}/{r['expected']}"
            )
            await asyncio.sleep(3)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    asyncio.run(main())
