"""Load benchmark: concurrent examinees saving answers against a real server.

uvicorn (port 8104) + PostgreSQL (database maharat_assessments_bench). Two runs:
  1. paced: EXAMINEES examinees each save one answer every INTERVAL_S seconds
     (the default, 200 every 3 s, is the per-second load of 2,000 every 30 s);
  2. capacity: CONCURRENCY clients saving back to back, to project headroom.
Prints saves/s, p50/p99 latency, errors and answers lost (the last acknowledged
answer of every examinee is compared with the database afterwards), and for each run
the CPU per saved answer of the server (uvicorn's processes), of PostgreSQL (the
backends of the bench database) and of this load generator, measured apart
(bench/proc_cpu.py): on a shared 2-core machine latencies and saves/s move with the
other work, the CPU per save does not. The projected capacity is the machine's cores
divided by the server's and PostgreSQL's CPU per save (what the 2 cores could carry
with the generator elsewhere); the headroom is that over 2,000 examinees' 66.7/s.
Each figure is printed beside its value before issue #19's work.
Environment: BENCH_EXAMINEES, BENCH_INTERVAL_S, BENCH_DURATION_S, BENCH_CONCURRENCY,
BENCH_WORKERS, BENCH_POOL_SIZE (connections per worker), BENCH_DATABASE_URL, BENCH_PORT.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proc_cpu import ServerCpu, load_average  # noqa: E402
from bench.server_env import production_env  # noqa: E402

PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8104"))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maharat_assessments_bench"
)
DB_NAME = DB_URL.rsplit("/", 1)[1]
EXAMINEES = int(os.environ.get("BENCH_EXAMINEES", "200"))
INTERVAL_S = float(os.environ.get("BENCH_INTERVAL_S", "3"))
DURATION_S = float(os.environ.get("BENCH_DURATION_S", "30"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
TARGET_EXAMINEES, TARGET_INTERVAL_S = 2000, 30.0
# Before issue #19's work (idle machine of the same kind, issue #19; CPU per save
# measured with this bench against the code before it, machine load in brackets).
BEFORE = {
    "paced": "p99 66.7 ms (idle machine; 164 ms beside an idle `make run`)",
    "capacity": "171 saves/s (idle machine; earlier 367 saves/s)",
}

# A DEBUG=0 web node (bench/server_env.py: the settings production must set), on
# PostgreSQL without Redis, as this bench has always measured.
ENV = production_env(
    database_url=DB_URL,
    redis_url=None,
    port=PORT,
    CONN_MAX_AGE="0",  # Django under ASGI: no persistent connections, the pool instead
    DATABASE_POOL_MAX_SIZE=os.environ.get("BENCH_POOL_SIZE", "8"),
)


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname=%s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )


def prepare(n: int) -> list[dict]:
    """Examinees with API tokens and an open attempt each (drawn by the blueprint)."""
    os.environ.update(ENV)
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from assessments import services
    from assessments.models import Attempt, BlueprintRule, ExamBlueprint, QuestionBank
    from assessments.question_types import get_kind
    from lms.accounts.models import User
    from registry.models import Occupation, SkillLevel

    occupation = Occupation.objects.get(code="7127")
    level = SkillLevel.objects.order_by("rank").first()
    bank, _ = QuestionBank.objects.get_or_create(
        slug="bench",
        defaults={"title": "bench", "occupation": occupation, "skill_level": level},
    )
    if not bank.questions.exists():
        for n_q in range(20):
            services.question_create(
                bank_id=bank.pk,
                topic_name="bench",
                kind="short_answer",
                stem=f"سؤال {n_q}",
                data={"answers": [{"text": "الضاغط", "fraction": 1}]},
            )
    blueprint, created = ExamBlueprint.objects.get_or_create(
        slug="bench",
        defaults={
            "title": "bench",
            "bank": bank,
            "occupation": occupation,
            "skill_level": level,
            "time_limit_s": 4 * 3600,
            "requires_course_completion": False,
            "attempts_allowed": 1000,
            "wait_between_attempts_s": 0,
        },
    )
    if created:
        BlueprintRule.objects.create(
            blueprint=blueprint, topic=bank.topics.get(), count=20
        )
    Attempt.objects.filter(blueprint=blueprint).delete()
    trainee = Group.objects.get(name="trainee")
    examinees = []
    for i in range(n):
        user, _ = User.objects.get_or_create(username=f"bench{i:05d}")
        user.groups.add(trainee)
        token, _ = Token.objects.get_or_create(user=user)
        attempt, _created = services.attempt_start(
            user_id=user.pk, blueprint_id=blueprint.pk
        )
        assert get_kind("short_answer")
        examinees.append({"token": token.key, "attempt": attempt.id, "items": 20})
    return examinees


class Client:
    """A minimal HTTP/1.1 keep-alive client (one connection per examinee)."""

    def __init__(self, token: str):
        self.token = token
        self.reader = self.writer = None

    async def put(self, path: str, body: dict) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", PORT)
        payload = json.dumps(body).encode()
        head = (
            f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Token {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        self.writer.write(head + payload)
        await self.writer.drain()
        status_line = await self.reader.readline()
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            key, _, value = line.decode().partition(":")
            if key.lower() == "content-length":
                length = int(value)
            if key.lower() == "connection" and "close" in value.lower():
                close = True
        data = await self.reader.readexactly(length) if length else b""
        if close:
            self.writer.close()
            self.writer = None
        return int(status_line.split()[1]), data

    def close(self):
        if self.writer:
            self.writer.close()


async def examinee(ex: dict, stop: float, interval: float, stats: dict, paced: bool):
    client = Client(ex["token"])
    rng = random.Random(ex["attempt"])
    if paced:
        await asyncio.sleep(rng.random() * interval)
    try:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            seq = ex["seq"] = ex.get("seq", 0) + 1
            position = rng.randint(1, ex["items"])
            answer = f"جواب {seq}"
            path = f"/api/v1/assessments/attempts/{ex['attempt']}/answers/{position}/"
            try:
                status, _ = await client.put(path, {"response": answer, "seq": seq})
            except (OSError, asyncio.IncompleteReadError):
                status = 0
                client.writer = None
            elapsed = time.perf_counter() - started
            if status == 200:
                stats["latencies"].append(elapsed)
                ex.setdefault("acked", {})[position] = (seq, answer)
            else:
                stats["errors"] += 1
                stats.setdefault("statuses", {}).setdefault(status, 0)
                stats["statuses"][status] += 1
            if paced:
                await asyncio.sleep(max(0.0, interval - elapsed))
    finally:
        client.close()


async def run(examinees: list[dict], *, duration: float, interval: float, paced: bool):
    stats = {"latencies": [], "errors": 0}
    stop = time.perf_counter() + duration
    started = time.perf_counter()
    await asyncio.gather(
        *(examinee(e, stop, interval, stats, paced) for e in examinees)
    )
    stats["wall_s"] = time.perf_counter() - started
    return stats


def lost_answers(examinees: list[dict]) -> int:
    from assessments.models import AttemptItem

    lost = 0
    for ex in examinees:
        stored = {
            i.position: (i.response_seq, i.response)
            for i in AttemptItem.objects.filter(attempt_id=ex["attempt"])
        }
        for position, acked in ex.get("acked", {}).items():
            if stored.get(position) != acked:
                lost += 1
    return lost


def report(
    label: str, stats: dict, examinees: list[dict], cpu, before: str
) -> tuple[float, float]:
    """Print one run; returns (saves/s, server + PostgreSQL CPU seconds per save)."""
    lat = sorted(stats["latencies"])
    rate = len(lat) / stats["wall_s"] if stats["wall_s"] else 0.0
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if len(lat) >= 100 else float("nan")
    print(
        f"{label}: {len(lat)} saves in {stats['wall_s']:.1f} s = {rate:.1f} saves/s; "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; errors {stats['errors']}; "
        f"answers lost {lost_answers(examinees)}"
        + (f" (error statuses {stats['statuses']})" if stats.get("statuses") else "")
    )
    figures = cpu.figures
    print("    " + figures.line(len(lat), "saved answer"))
    print(f"    before: {before}")
    per_save = (figures.server_s + figures.database_s) / len(lat) if lat else 0.0
    return rate, per_save


def wait_until_serving(timeout_s: float = 60) -> None:
    """Start the clock once the server answers, as a load balancer's health check
    would: uvicorn's supervisor opens the port seconds before its workers have
    imported Django, and saves sent meanwhile measured the start-up, not a save."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{PORT}/healthz/web"  # the full one needs a worker
            with urllib.request.urlopen(url, timeout=5):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within {timeout_s:g} s")


def main() -> None:
    import psycopg

    try:
        ensure_database()
    except psycopg.OperationalError as exc:
        print(f"skipped: PostgreSQL is not reachable at {DB_URL} ({exc})")
        return
    examinees = prepare(max(EXAMINEES, CONCURRENCY))
    server = subprocess.Popen(
        [
            str(Path(PY).with_name("uvicorn")),
            "lms.asgi:application",
            "--port",
            str(PORT),
            "--workers",
            str(WORKERS),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )
    try:
        wait_until_serving()
        target_rate = TARGET_EXAMINEES / TARGET_INTERVAL_S
        print(
            f"server: uvicorn x{WORKERS} on :{PORT}, "
            f"PostgreSQL {DB_URL.rsplit('/', 1)[1]}"
        )
        paced = examinees[:EXAMINEES]
        with ServerCpu(server.pid, DB_NAME) as cpu:
            stats = asyncio.run(
                run(paced, duration=DURATION_S, interval=INTERVAL_S, paced=True)
            )
        report(
            f"paced run ({EXAMINEES} examinees, one save every {INTERVAL_S:g} s, "
            f"offered {EXAMINEES / INTERVAL_S:.1f}/s)",
            stats,
            paced,
            cpu,
            BEFORE["paced"],
        )
        for ex in examinees:
            ex.pop("acked", None)
        burst = examinees[:CONCURRENCY]
        with ServerCpu(server.pid, DB_NAME) as cpu:
            stats = asyncio.run(
                run(burst, duration=min(DURATION_S, 15), interval=0, paced=False)
            )
        capacity, per_save = report(
            f"capacity run ({CONCURRENCY} clients back to back)",
            stats,
            burst,
            cpu,
            BEFORE["capacity"],
        )
        projected = (os.cpu_count() or 1) / per_save if per_save else 0.0
        print(
            f"projection: {TARGET_EXAMINEES} examinees saving every "
            f"{TARGET_INTERVAL_S:g} s "
            f"need {target_rate:.1f} saves/s; measured capacity {capacity:.1f} saves/s "
            f"= {capacity / target_rate:.1f}x headroom (beside the generator and the "
            f"machine's other work; {load_average()}); by CPU per save "
            f"{projected:.0f} saves/s on {os.cpu_count()} cores = "
            f"{projected / target_rate:.1f}x (goal: p99 <= 100 ms, >= 4x, none lost)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
