"""Run the surge against a production topology that is already up, and report it.

1. `bench.surge.setup` makes the accounts (in the servers' database);
2. Locust runs headless with bench/surge/locustfile.py (`--csv`), in its own
   session, while `procstat` counts the CPU of the servers (web nodes, task
   workers, nginx, Redis — ctl.sh's sessions — and the PostgreSQL backends of the
   database) apart from the generator's;
3. `bench.surge.verify` counts the acknowledged writes missing from the database;
4. the report: throughput, p50/p95/p99 per request type, errors, CPU per request,
   lost writes, and the goals (p99 ≤ 300 ms but for signing in, 0 errors, 0 lost).
Exit 1 on any error or lost write; a missed speed goal is printed, never fatal.

The environment is the servers' (scripts/prod/local_env.sh: DATABASE_URL, REDIS_URL,
DEBUG=0, NGINX_HTTPS_PORT, PROD_STATE_DIR). CI's production stage runs the short
version on its own topology (scripts/prod/ci_stage.sh):
  python -m bench.surge.run --users 100 --spawn-rate 25 --duration 40 --pace 0.2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.surge.procstat import CpuSampler, ctl_sessions

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
LOCUST = str(Path(PY).with_name("locust"))
GOAL_P99_MS = 300
# Reported apart: the password hasher's cost is deliberate (locustfile docstring).
APART = ("sign-in", "sign-in form")
SERVER_GROUPS = {
    "web1": "web nodes",
    "web2": "web nodes",
    "web3": "web nodes",
    "worker": "task workers",
    "media-worker": "task workers",
    "proxy": "nginx",
    "redis": "redis",
}


@dataclass(frozen=True)
class Options:
    users: int
    spawn_rate: float
    duration_s: int
    pace: float
    out: Path
    site: str
    state_dir: Path
    database: str
    examinee_share: float = 0.2
    signin_share: float = 0.1


@dataclass(frozen=True)
class Row:
    method: str
    name: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


def read_stats(path: Path) -> tuple[list[Row], Row, list[dict]]:
    """The locustfile's final statistics (SURGE_STATS): one row per request type,
    Locust's total, and the simulated trainees' crashes (exceptions in the
    locustfile: errors too)."""
    stats = json.loads(path.read_text())
    entries = [Row(**e) for e in stats["entries"]]
    return entries[:-1], entries[-1], stats["crashes"]


def read_failures(path: Path) -> list[tuple[str, str, int]]:
    if not path.exists():
        return []
    with open(path) as failures:
        return [
            (f"{r['Method']} {r['Name']}", r["Error"], int(r["Occurrences"]))
            for r in csv.DictReader(failures)
        ]


def _run(args: list[str], env: dict, log: Path | None = None) -> None:
    out = open(log, "w") if log else None  # noqa: SIM115 - closed below
    try:
        subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=out or None)
    finally:
        if out:
            out.close()


def run(opts: Options, env: dict) -> int:
    began = time.monotonic()
    try:
        return _run_surge(opts, env)
    finally:
        print(f"surge: {time.monotonic() - began:.0f} s in all (setup, load, count)")


def _run_surge(opts: Options, env: dict) -> int:
    opts.out.mkdir(parents=True, exist_ok=True)
    env = {**env, "PYTHONPATH": str(ROOT), "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING")}
    accounts, acks = opts.out / "accounts.json", opts.out / "acks.jsonl"
    acks.unlink(missing_ok=True)
    _run(
        [PY, "-m", "bench.surge.setup", "--users", str(opts.users),
         "--examinee-share", str(opts.examinee_share),
         "--signin-share", str(opts.signin_share), "--out", str(accounts)],
        env,
    )  # fmt: skip
    locust_env = {
        **env,
        "SURGE_ACCOUNTS": str(accounts),
        "SURGE_ACKS": str(acks),
        "SURGE_PACE": str(opts.pace),
        "SURGE_STATS": str(opts.out / "stats.json"),
    }
    generator: dict[int, str] = {}
    sessions = ctl_sessions(opts.state_dir, SERVER_GROUPS)
    sampler = CpuSampler(
        lambda: {**sessions(), **generator}, databases={opts.database: "postgresql"}
    )
    command = [
        LOCUST, "-f", "bench/surge/locustfile.py", "--headless",
        "-u", str(opts.users), "-r", str(opts.spawn_rate),
        "-t", f"{opts.duration_s}s", "--host", opts.site,
        "--csv", str(opts.out / "surge"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    print(
        f"surge: {opts.users} trainees arriving at {opts.spawn_rate:g}/s for "
        f"{opts.duration_s} s against {opts.site} (pace {opts.pace:g})",
        flush=True,
    )
    sampler.start()
    with open(opts.out / "locust.log", "w") as log:
        locust = subprocess.Popen(
            command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        generator[locust.pid] = "load generator"
        load_mid = None
        started = time.monotonic()
        while locust.poll() is None:
            time.sleep(1)
            if load_mid is None and time.monotonic() - started > opts.duration_s / 2:
                load_mid = Path("/proc/loadavg").read_text().split()[:3]
    cpu = sampler.stop()
    load_end = Path("/proc/loadavg").read_text().split()[:3]
    lost_json = opts.out / "lost.json"
    verified = subprocess.run(
        [PY, "-m", "bench.surge.verify", str(acks), "--json", str(lost_json)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if not lost_json.exists():
        print(verified.stdout, verified.stderr[-3000:], file=sys.stderr)
        raise SystemExit("the lost-writes check did not run")
    lost = json.loads(lost_json.read_text())
    if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
        print((opts.out / "locust.log").read_text()[-3000:], file=sys.stderr)
        raise SystemExit(f"locust exited with {locust.returncode}")
    rows, total, crashes = read_stats(opts.out / "stats.json")
    failures = read_failures(opts.out / "surge_failures.csv")
    failures += [("crash", c["error"], c["count"]) for c in crashes]
    errors = total.failures + sum(c["count"] for c in crashes)
    return report(
        rows,
        total,
        errors,
        failures,
        lost,
        cpu,
        sampler,
        load_mid or load_end,
        load_end,
    )


def report(
    rows, total, errors, failures, lost, cpu, sampler, load_mid, load_end
) -> int:
    print(
        f"\n{'request type':<22}{'reqs':>8}{'fails':>7}{'req/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  goal p99 ≤ {GOAL_P99_MS} ms"
    )
    missed = []
    for row in sorted(rows, key=lambda r: -r.count):
        apart = row.name in APART
        verdict = "(apart)" if apart else "ok" if row.p99 <= GOAL_P99_MS else "MISSED"
        if verdict == "MISSED":
            missed.append(row.name)
        print(
            f"{row.name:<22}{row.count:>8}{row.failures:>7}{row.rps:>8.1f}"
            f"{row.p50:>8.0f}{row.p95:>8.0f}{row.p99:>8.0f}  {verdict}"
        )
    rest = [r for r in rows if r.name not in APART]
    print(
        f"{'all':<22}{total.count:>8}{total.failures:>7}{total.rps:>8.1f}"
        f"{total.p50:>8.0f}{total.p95:>8.0f}{total.p99:>8.0f}"
    )
    server = sum(v for k, v in cpu.items() if k != "load generator")
    per_request = 1000 * server / total.count if total.count else 0
    print(
        f"\nthroughput {total.rps:.1f} requests/s over {sampler.wall_s:.0f} s; "
        f"errors {errors} (failed requests and crashed trainees)"
    )
    print(
        f"CPU (s): {', '.join(f'{k} {v:.1f}' for k, v in sorted(cpu.items()))}; "
        f"whole machine {sampler.system_s:.1f} (other processes "
        f"{sampler.system_s - sum(cpu.values()):.1f})"
    )
    generator = 1000 * cpu.get("load generator", 0) / max(1, total.count)
    print(
        f"server CPU per request {per_request:.1f} ms (web nodes, workers, nginx, "
        f"Redis, PostgreSQL); load generator {generator:.1f} ms"
    )
    print(
        f"load average (1/5/15 min) mid-run {' '.join(load_mid)}, "
        f"end {' '.join(load_end)}"
    )
    for what, error, n in failures[:10]:
        print(f"  failure: {what}: {error[:160]} × {n}")
    lost_total = sum(t["lost"] for t in lost.values())
    print("writes acknowledged / lost (counted in the database afterwards):")
    for kind, tally in lost.items():
        none = "  (none acknowledged in this run)" if not tally["acknowledged"] else ""
        print(f"  {kind:<10}{tally['acknowledged']:>8}{tally['lost']:>6}{none}")
        for example in tally["examples"]:
            print(f"      e.g. {example}")
    worst = max((r.p99 for r in rest), default=0)
    speed = "met" if not missed else "MISSED by " + ", ".join(missed)
    print(
        f"goals: p99 ≤ {GOAL_P99_MS} ms (sign-in apart): {speed} "
        f"(worst {worst:.0f} ms); "
        f"0 errors: {'met' if errors == 0 else 'MISSED'}; "
        f"0 lost writes: {'met' if lost_total == 0 else 'MISSED'}"
    )
    return 1 if errors or lost_total else 0


def options_from_env(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="The surge against a running site.")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=25)
    parser.add_argument("--duration", type=int, default=40, help="seconds")
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--signin-share", type=float, default=Options.signin_share,
        help="share of the trainees who sign in (the others hold a session)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    state = Path(os.environ.get("PROD_STATE_DIR", ROOT / "var" / "prod"))
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
    return Options(
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration_s=args.duration,
        pace=args.pace,
        signin_share=args.signin_share,
        out=args.out or state / "surge",
        site=f"https://127.0.0.1:{os.environ.get('NGINX_HTTPS_PORT', '8443')}",
        state_dir=state,
        database=database,
    )


if __name__ == "__main__":
    sys.exit(run(options_from_env(), dict(os.environ)))
