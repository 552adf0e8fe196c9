"""What the pages every trainee opens cost, as a share of a static file (issue 19).

The production configuration on this machine: DEBUG=0, PostgreSQL (database
maharat_pages_bench, created and seeded with the demo data if missing), Redis (cache,
sessions; db BENCH_REDIS_DB, flushed at the start), one uvicorn with 2 worker
processes (scripts/prod/web.sh). `wrk` (C, 2 threads, 20 connections, keep-alive)
asks each URL for BENCH_SECONDS, one after the other, in the same run; then the whole
round is repeated BENCH_ROUNDS times and the median rate kept. The rate of each page
is printed as a share of the static CSS file's rate in the same round (WhiteNoise in
the same server: the cheapest answer Django gives), beside the goal and the value
issue 19 measured before.

Also printed: the server's CPU per request (the uvicorn processes' user+system time
over the requests answered, read from /proc; the generator's CPU is wrk's own and not
in it), and the SQL queries each page's render costs (counted in this process with
the same settings, the anonymous page cache off: a kept page costs none).

Goals: signed-in lesson page ≥ 0.5×, anonymous catalogue, trade and course ≥ 0.8×,
dashboard ≥ 0.3×. Exits 1 when a page answers an error or misses its goal
(BENCH_STRICT=0: print only).

Run: .venv/bin/python bench/bench_page_rates.py   (needs PostgreSQL, Redis, wrk)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server_env import bench_signing_key_pem  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "maharat_pages_bench")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "6"))
PORT = int(os.environ.get("BENCH_PORT", "8106"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
STRICT = os.environ.get("BENCH_STRICT", "1") != "0"
BASE = f"http://127.0.0.1:{PORT}"

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    "DJANGO_SETTINGS_MODULE": "lms.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "REGISTRY_SIGNING_KEY": os.environ.get("REGISTRY_SIGNING_KEY", ""),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    "DATABASE_POOL_MAX_SIZE": "8",
    "WEB_PROCESSES": "2",
    "LOG_LEVEL": "WARNING",
}


if not ENV["REGISTRY_SIGNING_KEY"]:  # the benches' fixed key (not a secret)
    ENV["REGISTRY_SIGNING_KEY"] = bench_signing_key_pem()


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    signed_in: bool
    goal: float | None  # share of the static file's rate
    before: float | None  # the share before issue 19 (its table, or the first run)
    queries_before: int | None = None  # and the queries then
    # server CPU per request (ms) at the stop before the signed-in pages' fast
    # paths (2026-12-03's closing note, a busy machine: the static file was 3.8 ms)
    cpu_before: float | None = None


def django_setup() -> None:
    os.environ.update(ENV)
    import django

    django.setup()


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')
    run = {"cwd": ROOT, "env": ENV, "check": True}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run
    )
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], stdout=subprocess.DEVNULL, **run
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], **run
    )
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()


def targets_and_cookie() -> tuple[list[Target], str]:
    """The URLs (from the seeded pages) and a signed-in trainee's session cookie."""
    django_setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string

    from courses import services
    from courses.models import CatalogPage, CoursePage, LessonPage, TradePage

    user, _ = get_user_model().objects.get_or_create(
        username="bench-pages-trainee", defaults={"full_name_ar": "متدرب القياس"}
    )
    course = CoursePage.objects.live().order_by("path").first()
    services.enrollment_create(user=user, course_id=course.pk)
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path")[1]
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    # and the CSRF cookie a browser holds after its first page (any well-formed
    # secret: the server masks its tokens from it)
    csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    cookie = f"{name}={client.cookies[name].value}; {settings.CSRF_COOKIE_NAME}={csrf}"
    css = staticfiles_storage.url("lms/site.css")
    catalogue = CatalogPage.objects.live().first().url
    trade = TradePage.objects.live().first().url
    # before: this benchmark's first run, on the commit before issue 19's work
    # (the course and lesson shares are also the issue's own table)
    targets = [
        Target("static CSS file", css, False, None, 1.0, None, 3.8),
        Target("catalogue (anonymous)", catalogue, False, 0.8, 0.05, 16, 4.6),
        Target("trade (anonymous)", trade, False, 0.8, 0.06, 12, 4.4),
        Target("course (anonymous)", course.url, False, 0.8, 0.03, 20, 3.9),
        Target("lesson (signed in)", lesson.url, True, 0.5, 0.02, 38, 38.0),
        Target("dashboard (signed in)", "/dashboard/", True, 0.3, 0.05, 10, 47.0),
    ]
    return targets, cookie


def query_counts(targets: list[Target], cookie: str) -> dict[str, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # the page's own render (an anonymous page kept in the cache costs none)
    settings.PAGE_CACHE_SECONDS = 0
    settings.PERSONAL_PAGE_CACHE_SECONDS = 0
    counts = {}
    for target in targets[1:]:
        client = Client()
        if target.signed_in:
            for pair in cookie.split("; "):
                name, value = pair.split("=", 1)
                client.cookies[name] = value
        client.get(target.path)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target.path)
        assert response.status_code == 200, (target.path, response.status_code)
        counts[target.name] = len(ctx.captured_queries)
    return counts


def worker_pids(parent: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(parent)], capture_output=True, text=True
    ).stdout.split()
    return [parent, *map(int, out)]


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / tick


def wrk(path: str, cookie: str | None) -> tuple[float, int, float]:
    """(requests/s, non-2xx answers, p99 ms)."""
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, BASE + path], capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return (
        rate,
        (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0),
        float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
    )


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit(
            "wrk is missing: make setup-test installs it (scripts/system_packages.sh)"
        )
    prepare_database()
    targets, cookie = targets_and_cookie()
    server = subprocess.Popen(
        ["bash", "scripts/prod/web.sh", str(PORT)],
        cwd=ROOT,
        env={**ENV, "WEB_BIND": "127.0.0.1"},
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(BASE + "/healthz/web", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(1)
        pids = worker_pids(server.pid)
        pids = [p for pid in pids for p in worker_pids(pid)]  # bash → uvicorn → workers
        for target in targets:  # warm every process's caches
            wrk(target.path, cookie if target.signed_in else None)
        rates: dict[str, list[float]] = {t.name: [] for t in targets}
        ratios: dict[str, list[float]] = {t.name: [] for t in targets}
        cpu: dict[str, list[float]] = {t.name: [] for t in targets}
        p99s: dict[str, list[float]] = {t.name: [] for t in targets}
        errors = {t.name: 0 for t in targets}
        for _ in range(ROUNDS):
            static_rate = None
            for target in targets:
                before = cpu_seconds(pids)
                rate, bad, p99 = wrk(target.path, cookie if target.signed_in else None)
                used = cpu_seconds(pids) - before
                static_rate = static_rate or rate
                rates[target.name].append(rate)
                ratios[target.name].append(rate / static_rate)
                cpu[target.name].append(1000 * used / max(1.0, rate * SECONDS))
                p99s[target.name].append(p99)
                errors[target.name] += bad
        load = os.getloadavg()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    counts = query_counts(targets, cookie)
    print(
        f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, {ROUNDS} rounds (medians), "
        f"uvicorn × 2 processes, DEBUG=0, PostgreSQL + Redis; load average {load:.2f}"
    )
    print(
        "cpu/req is the steady figure on a shared machine (its 'before' is the stop "
        "before the signed-in fast paths); the share depends on the load"
    )
    print(
        f"{'page':<24}{'req/s':>8}{'× static':>10}{'goal':>7}{'before':>8}"
        f"{'cpu/req':>10}{'before':>9}{'p99':>9}{'queries':>9}{'before':>7}"
        f"{'errors':>8}"
    )
    failed = []
    for target in targets:
        ratio = statistics.median(ratios[target.name])
        goal = f"{target.goal:.1f}" if target.goal else "—"
        before = f"{target.before:.2f}" if target.before else "—"
        queries = counts.get(target.name, 0)
        q_before = str(target.queries_before) if target.queries_before else "—"
        print(
            f"{target.name:<24}{statistics.median(rates[target.name]):>8.0f}"
            f"{ratio:>10.2f}{goal:>7}{before:>8}"
            f"{statistics.median(cpu[target.name]):>8.2f}ms"
            f"{target.cpu_before or 0:>7.1f}ms"
            f"{statistics.median(p99s[target.name]):>7.1f}ms{queries:>9}{q_before:>7}"
            f"{errors[target.name]:>8}"
        )
        if errors[target.name] or (target.goal and ratio < target.goal):
            failed.append(target.name)
    if failed:
        print("MISSED: " + ", ".join(failed))
        if STRICT:
            sys.exit(1)


if __name__ == "__main__":
    main()
