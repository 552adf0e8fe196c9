"""Profile of one exam answer save, in-process: figures a busy machine does not blur.

Runs the ASGI application of the project (the one uvicorn serves) with the load
benchmark's settings (DEBUG off, PostgreSQL, psycopg pool) and prints, for the save
`PUT /api/v1/assessments/attempts/<id>/answers/<n>/`, once with an API token (as
`bench_assessments.py` sends) and once with a session cookie and CSRF token (as the
exam page sends):
  - the SQL statements of one save,
  - Python function calls per save (counted in every thread: deterministic),
  - thread hand-offs (sync_to_async / async_to_sync) per save,
  - CPU milliseconds per save (median of 5 batches; noisy when the machine is shared).
With PROFILE_CPROFILE=1 it also prints the top of a cProfile of the token save.
Environment: BENCH_DATABASE_URL (default: database maharat_assessments_profile),
PROFILE_REDIS_URL (a Redis for cache and sessions, as in production; default: none,
as in the load benchmark), PROFILE_SAVES (saves per batch, default 200).
"""

from __future__ import annotations

import asyncio
import collections
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/maharat_assessments_profile",
)
import bench_assessments as bench  # noqa: E402

SAVES = int(os.environ.get("PROFILE_SAVES", "200"))
os.environ.pop("REDIS_URL", None)
if os.environ.get("PROFILE_REDIS_URL"):
    bench.ENV["REDIS_URL"] = os.environ["PROFILE_REDIS_URL"]


class Hops:
    """Counts the hand-offs between the event loop and worker threads."""

    def __init__(self) -> None:
        import asgiref.sync as sync

        self.counts: collections.Counter = collections.Counter()
        s2a, a2s = sync.SyncToAsync.__call__, sync.AsyncToSync.__call__
        counts = self.counts

        async def sync_to_async(self, *args, **kwargs):
            counts["sync_to_async"] += 1
            return await s2a(self, *args, **kwargs)

        def async_to_sync(self, *args, **kwargs):
            counts["async_to_sync"] += 1
            return a2s(self, *args, **kwargs)

        sync.SyncToAsync.__call__ = sync_to_async
        sync.AsyncToSync.__call__ = async_to_sync


class Save:
    """One examinee's saves through the ASGI application, in-process."""

    def __init__(self, app, attempt: int, headers: list[tuple[bytes, bytes]]):
        self.app, self.attempt, self.headers, self.seq = app, attempt, headers, 0

    async def __call__(self) -> int:
        self.seq += 1
        position = self.seq % 20 + 1
        path = f"/api/v1/assessments/attempts/{self.attempt}/answers/{position}/"
        body = json.dumps({"response": f"جواب {self.seq}", "seq": self.seq}).encode()
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        sent = []

        async def receive():
            if messages:
                return messages.pop(0)
            await asyncio.sleep(3600)

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "PUT",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *self.headers,
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8104),
        }
        await self.app(scope, receive, send)
        status = sent[0]["status"]
        assert status == 200, (status, sent[1:])
        return status


def count_calls(run) -> int:
    """Python function calls made in every thread while `run()` runs."""
    calls = [0]

    def profiler(frame, event, arg):
        if event == "call":
            calls[0] += 1

    threading.setprofile(profiler)
    sys.setprofile(profiler)
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return calls[0]


def statements(save: Save) -> list[str]:
    from django.db import connection

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append(" ".join(sql.split())[:160])
        return execute(sql, params, many, context)

    # Under ASGI the view runs in the request's thread: wrap the connection there.
    original = save.app.get_response

    def get_response(request):
        with connection.execute_wrapper(capture):
            return original(request)

    save.app.get_response = get_response
    try:
        asyncio.run(save())
    finally:
        del save.app.get_response
    return captured


def profile(label: str, save: Save, hops: Hops) -> None:
    async def batch(n: int):
        for _ in range(n):
            await save()

    asyncio.run(batch(20))  # warm up: connections, caches, lazy imports
    sql = statements(save)
    print(f"{label}: {len(sql)} SQL statements per save")
    for line in sql:
        print(f"    {line}")
    hops.counts.clear()
    calls = count_calls(lambda: asyncio.run(batch(SAVES)))
    handoffs = sum(hops.counts.values()) / SAVES
    cpu = []
    for _ in range(5):
        started = time.process_time()
        asyncio.run(batch(SAVES))
        cpu.append((time.process_time() - started) / SAVES * 1000)
    print(
        f"    {calls / SAVES:.0f} Python calls per save; {handoffs:.1f} thread "
        f"hand-offs per save; {statistics.median(cpu):.2f} ms CPU per save "
        f"(median of 5 x {SAVES}, min {min(cpu):.2f})"
    )
    if os.environ.get("PROFILE_CPROFILE") and label.startswith("token"):
        profiler = cProfile.Profile()
        threading.setprofile(lambda *a: None)  # cProfile sees the main thread only
        profiler.enable()
        asyncio.run(batch(SAVES))
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


def main() -> None:
    bench.ensure_database()
    examinees = bench.prepare(2)
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import Client

    from assessments.models import Attempt
    from lms.asgi import django_asgi_app

    hops = Hops()
    token = examinees[0]
    print(
        f"database {bench.DB_URL.rsplit('/', 1)[1]}, cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}, "
        f"session engine {settings.SESSION_ENGINE.rsplit('.', 1)[1]}"
    )
    profile(
        "token save (bench)",
        Save(
            django_asgi_app,
            token["attempt"],
            [(b"authorization", f"Token {token['token']}".encode())],
        ),
        hops,
    )
    session = examinees[1]
    client = Client()
    client.force_login(Attempt.objects.get(pk=session["attempt"]).user)
    secret = _get_new_csrf_string()
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}="
        f"{client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={secret}"
    )
    profile(
        "session save (exam page)",
        Save(
            django_asgi_app,
            session["attempt"],
            [
                (b"cookie", cookies.encode()),
                (b"x-csrftoken", _mask_cipher_secret(secret).encode()),
                (b"referer", b"https://127.0.0.1/"),
            ],
        ),
        hops,
    )


if __name__ == "__main__":
    main()
