"""Load benchmark of the classroom: N WebSocket clients in one class.

Runs the production-like server (bench/server_env.py: DEBUG=0, 2 uvicorn workers,
PostgreSQL with the psycopg pool, Redis for cache, sessions and the pub/sub channel
layer), connects N clients (bench/lean_ws.py: raw asyncio sockets with the session
cookie and an allowed Origin, cheap enough that the generator does not crowd the
server on 2 cores), has 20 of them chat (40 messages, one every 100 ms) and prints
per N: connect success and time, broadcast latency p50/p99/max (send → every
receiver), messages lost (not delivered 30 s after the last send), and the CPU per
delivered message of the server's processes, of PostgreSQL's backends of the bench
database and of the load generator, measured apart over the chat phase
(bench/proc_cpu.py) with the machine's load average — on a shared machine the
latencies move with the other work, the CPU per message does not. Each figure is
printed beside its value before issue #19's work. Goal: N = 500 with p99 ≤ 250 ms and
nothing lost. Not a test: it prints figures.

Environment (defaults in brackets): BENCH_DATABASE_URL
[postgres://postgres@127.0.0.1:5432/maharat_classes_bench], BENCH_REDIS_URL
[redis://127.0.0.1:6379/5], BENCH_PORT [8105], BENCH_SIZES [100,250,500],
BENCH_MESSAGES [40], BENCH_LAYER [pubsub|core], BENCH_WORKERS [2],
BENCH_POOL_SIZE [8: production's pool per process; empty: CONN_MAX_AGE only].
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
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

POOL_SIZE = os.environ.get("BENCH_POOL_SIZE", "8")  # production's (scripts/prod)
DATABASE_NAME = DATABASE_URL.rsplit("/", 1)[1]
NAN = float("nan")
# The same figures before this work (issue #19: idle machine, `websockets` clients;
# server CPU measured with this bench against the code before the per-process fan-out).
BEFORE = {
    500: "p50 925 ms, p99 2949 ms on an idle machine (issue #19); this bench on the "
    "code before the fan-out, load 10.8: server 496 µs per delivered message, "
    "p50 16072 ms, p99 30299 ms, lost 1583/20000",
}

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
sys.path.insert(0, str(ROOT))

from bench import lean_ws  # noqa: E402
from bench.proc_cpu import ServerCpu  # noqa: E402
from bench.server_env import Server, production_env  # noqa: E402


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


class Client:
    """One trainee's socket (bench/lean_ws.py): when each bench message arrived."""

    def __init__(self, session_key: str) -> None:
        self.session_key = session_key
        self.socket: lean_ws.LeanSocket | None = None
        self.received: dict[int, float] = {}
        self.errors: list[str] = []
        self.frames = 0
        self.ok = False

    def on_text(self, payload: bytes, at: float) -> None:
        # no JSON parse per frame: the bench's own texts are found by their marker
        self.frames += 1
        if payload.startswith(b'{"type": "chat.message"'):
            i = payload.find(b'"text": "bench:')
            if i >= 0:
                j = i + len(b'"text": "bench:')
                self.received[int(payload[j : payload.index(b":", j)])] = at
        elif payload.startswith(b'{"type": "error"'):
            self.errors.append(json.loads(payload).get("code", ""))

    async def connect(self, class_id: int) -> None:
        try:
            self.socket, first = await lean_ws.connect(
                "127.0.0.1",
                PORT,
                f"/ws/classes/{class_id}/",
                headers={
                    "Cookie": f"sessionid={self.session_key}",
                    "Origin": f"http://127.0.0.1:{PORT}",
                },
                on_text=self.on_text,
            )
            self.ok = json.loads(first).get("type") == "snapshot"
        except Exception as error:  # noqa: BLE001 (any failure counts as not connected)
            print(f"  connect failed: {type(error).__name__}: {error}")
            self.ok = False


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p * len(values)))] if values else NAN


async def run_round(n: int, server_pid: int) -> dict:
    class_id, keys = await asyncio.to_thread(make_class_with_users, n)
    clients = [Client(k) for k in keys]
    started = time.perf_counter()
    for i in range(0, n, 50):  # connect in waves, as a class fills up
        await asyncio.gather(*(c.connect(class_id) for c in clients[i : i + 50]))
    connect_s = time.perf_counter() - started
    ok = [c for c in clients if c.ok]
    await asyncio.sleep(2)  # let the presence broadcasts settle
    senders = ok[:SENDERS]
    sent_at: dict[int, float] = {}
    with ServerCpu(server_pid, DATABASE_NAME) as cpu:
        for seq in range(MESSAGES):
            sender = senders[seq % len(senders)]
            sent_at[seq] = time.perf_counter()
            sender.socket.send_text(
                json.dumps({"type": "chat.send", "text": f"bench:{seq}:"})
            )
            await asyncio.sleep(SEND_INTERVAL_S)
        deadline = time.perf_counter() + DRAIN_S  # wait for stragglers, then count
        while time.perf_counter() < deadline and any(
            len(c.received) < len(sent_at) for c in ok
        ):
            await asyncio.sleep(0.05)
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
    await asyncio.gather(*(c.socket.close() for c in ok))
    latencies.sort()
    return {
        "n": n,
        "connected": len(ok),
        "connect_s": connect_s,
        "p50": statistics.median(latencies) if latencies else NAN,
        "p99": percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else NAN,
        "lost": lost,
        "expected": len(ok) * len(sent_at),
        "delivered": len(latencies),
        "cpu": cpu.figures,
    }


def print_round(r: dict) -> None:
    before = BEFORE.get(r["n"])
    print(
        f"N={r['n']:>4}  connected {r['connected']}/{r['n']} "
        f"in {r['connect_s']:.1f} s  latency p50 {r['p50']:.0f} ms  "
        f"p99 {r['p99']:.0f} ms  max {r['max']:.0f} ms  "
        f"lost {r['lost']}/{r['expected']}  ({r['cpu'].load})"
    )
    print("        " + r["cpu"].line(r["delivered"], "delivered message"))
    if before:
        print(f"        before: {before}")


async def main() -> None:
    import django

    env = production_env(
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        port=PORT,
        CHANNEL_LAYER_FLAVOUR=FLAVOUR,
        **({"DATABASE_POOL_MAX_SIZE": POOL_SIZE} if POOL_SIZE else {}),
    )
    os.environ.update(env)  # the sessions made here are signed with the server's key
    prepare_database()
    django.setup()
    with Server(env, PORT, WORKERS, "--ws", "websockets-sansio") as server:
        print(
            f"classroom bench: uvicorn :{PORT} x{WORKERS} workers, "
            f"Redis layer '{FLAVOUR}' {REDIS_URL}, "
            f"{MESSAGES} chat messages from {SENDERS} senders every "
            f"{SEND_INTERVAL_S * 1000:.0f} ms, broadcast to every client"
        )
        print(f"machine: {os.cpu_count()} cores, shared with other work")
        for n in SIZES:
            print_round(await run_round(n, server.pid))
            await asyncio.sleep(3)
        print("goal: N = 500 with p99 <= 250 ms and nothing lost")


if __name__ == "__main__":
    asyncio.run(main())
