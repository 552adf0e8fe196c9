"""Surge: 1,000 trainees at once on the production topology (issue #19).

Starts the documented topology on its own ports and database (scripts/prod/ctl.sh:
release, 2 uvicorn web nodes behind nginx with TLS, the task workers, Redis with
append-only persistence; DEBUG=0, PostgreSQL), loads the demo data (`seed_demo`,
idempotent), then runs bench/surge (setup in bulk, Locust headless, the lost-writes
count) and stops everything it started. What the trainees do and in what
proportions: bench/surge/locustfile.py. Prints throughput, p50/p95/p99 per request
type, errors, server CPU per request (apart from the load generator's), lost writes
and the goals: p99 ≤ 300 ms (signing in apart: the deliberately slow hasher), 0
errors, 0 lost writes. Exit 1 on an error or a lost write; a missed speed goal is
reported, not fatal.

Environment: BENCH_SURGE_USERS (1000), BENCH_SURGE_SPAWN_RATE (100/s),
BENCH_SURGE_DURATION_S (180), BENCH_SURGE_PACE (1), BENCH_SURGE_FRESH=1 (drop the
database first; kept otherwise: a fresh one costs minutes of migrations),
BENCH_SURGE_DB (maharat_surge_bench), BENCH_SURGE_HTTPS_PORT (8443),
BENCH_SURGE_HTTP_PORT (8081), BENCH_SURGE_WEB_PORTS ("8121 8122"),
BENCH_SURGE_REDIS_PORT (6390, its own redis-server).

Run: python bench/bench_surge.py   (needs PostgreSQL, nginx, redis-server)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.surge.run import Options, run  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_SURGE_DB", "maharat_surge_bench")
STATE = ROOT / "var" / "prod-surge"


def topology_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")
    }
    env.update(
        PROD_STATE_DIR=str(STATE),
        DATABASE_URL=f"{PG}/{DB}",
        PROD_REDIS_PORT=os.environ.get("BENCH_SURGE_REDIS_PORT", "6390"),
        NGINX_HTTP_PORT=os.environ.get("BENCH_SURGE_HTTP_PORT", "8081"),
        NGINX_HTTPS_PORT=os.environ.get("BENCH_SURGE_HTTPS_PORT", "8443"),
        WEB_PORTS=os.environ.get("BENCH_SURGE_WEB_PORTS", "8121 8122"),
    )
    env.pop("SITE_URL", None)
    return env


def servers_env(env: dict[str, str]) -> dict[str, str]:
    """What ctl.sh's processes see (local_env.sh: DEBUG=0, keys, REDIS_URL ...)."""
    dump = subprocess.run(
        ["bash", "-c", "source scripts/prod/local_env.sh && env -0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    pairs = (item.split(b"=", 1) for item in dump.split(b"\0") if b"=" in item)
    return {k.decode(): v.decode() for k, v in pairs}


def drop_database() -> None:
    subprocess.run(
        [
            "psql",
            f"{PG}/postgres",
            "-qc",
            f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)',
        ],
        check=True,
    )


def main() -> int:
    for tool in ("nginx", "redis-server", "psql"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} is not installed")
            return 0
    if os.environ.get("BENCH_SURGE_FRESH") == "1":
        drop_database()
    env = topology_env()
    ctl = ["bash", "scripts/prod/ctl.sh"]
    try:
        subprocess.run([*ctl, "up"], cwd=ROOT, env=env, check=True)
        servers = servers_env(env)
        with open(STATE / "log" / "seed.log", "w") as log:
            subprocess.run(
                [sys.executable, "manage.py", "seed_demo"],
                cwd=ROOT,
                env=servers,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        options = Options(
            users=int(os.environ.get("BENCH_SURGE_USERS", "1000")),
            spawn_rate=float(os.environ.get("BENCH_SURGE_SPAWN_RATE", "100")),
            duration_s=int(os.environ.get("BENCH_SURGE_DURATION_S", "180")),
            pace=float(os.environ.get("BENCH_SURGE_PACE", "1")),
            out=STATE / "surge",
            site=f"https://127.0.0.1:{servers['NGINX_HTTPS_PORT']}",
            state_dir=STATE,
            database=DB,
        )
        return run(options, servers)
    finally:
        subprocess.run([*ctl, "down"], cwd=ROOT, env=env, check=False)


if __name__ == "__main__":
    sys.exit(main())
