"""The real server for browser journeys: a fresh migrated database and uvicorn.

The server runs in a subprocess with its own database so that what the browser does
is committed exactly as in production: on PostgreSQL (`DATABASE_URL`, as CI does) a
database named `<name>_e2e` (`<name>_e2e_gw0`, ... on `make test`'s xdist workers) is
created and dropped; otherwise a temporary SQLite file. Either starts as a copy of one
migrated by an earlier run from the same migrations (`<name>_e2e_migrated_<digest>`,
or var/e2e/), made by one worker while the other waits: migrating takes a minute.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from lms.settings_test import xdist_worker_number
from tests.reused_db import migrations_digest

ROOT = Path(__file__).resolve().parents[2]
# Held while the migrated template is looked for, made or copied (any number: only
# these tests take it), so that two workers never migrate or copy it at once.
_TEMPLATE_LOCK = 720_331


def _worker_suffix() -> str:
    """`_gw0`, `_gw1` on xdist workers (as pytest-django names test databases)."""
    worker = xdist_worker_number()
    return "" if worker is None else f"_gw{worker}"


def free_port() -> int:
    """E2E_PORT when given (a fixed port for this machine; xdist worker N uses
    E2E_PORT + N), else any free port."""
    if os.environ.get("E2E_PORT"):
        return int(os.environ["E2E_PORT"]) + (xdist_worker_number() or 0)
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True)


@contextmanager
def e2e_database(tmp_dir: Path) -> Iterator[str]:
    """A DATABASE_URL for a database nobody else uses, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_dir / 'e2e.sqlite3'}"
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_e2e" + _worker_suffix()
    with _postgres_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with _postgres_admin(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, tmp_dir: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="1",
        SITE_URL=url,  # the links the product prints (verification, QR) point here
        MEDIA_ROOT=str(tmp_dir / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_dir / "private"),  # originals, evidence photos
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # every journey signs up from 127.0.0.1
        ACCOUNTS_SIGNUP_RATE_IP="10000/h",
        # the journeys watch the lesson video to the end: the 6 s clip, ready at once
        # (a narrated trade video is minutes long and processed by a worker)
        DEMO_VIDEOS="clip",
        # SMS (sign-up codes among them) as files the journeys read: sms_text_to()
        SMS_BACKEND="file",
        SMS_FILE_PATH=str(tmp_dir / "sms"),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py with that environment; its output (a failure shows stderr)."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


# Each running server's environment, by base URL, for `manage_on`.
_SERVER_ENVS: dict[str, dict[str, str]] = {}


def manage_on(server_url: str, *args: str) -> str:
    """manage.py against a running e2e server's database and media (for fixtures
    that prepare data and for checking what the browser's requests stored)."""
    return manage(_SERVER_ENVS[server_url], *args)


_SMS_READ: set[Path] = set()  # the SMS files a journey has read


def sms_text_to(server_url: str, phone: str, *, after: float, timeout_s=10) -> str:
    """The first SMS the e2e server wrote for the number (01..., as E.164 in the
    file) after the `after` time stamp (time.time()) that no journey has read yet,
    as a phone shows the new message: a sign-up code sent a moment before a reset
    code (pages are fast, mtimes coarse) is not read twice. It is written once the
    answer has gone out, so it may come a moment after the next page: wait for it."""
    directory = Path(_SERVER_ENVS[server_url]["SMS_FILE_PATH"])
    to = "To: +2" + phone
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for path in sorted(directory.glob("*.txt"), key=lambda p: p.stat().st_mtime):
            if path in _SMS_READ or path.stat().st_mtime < after:
                continue
            head, _sep, text = path.read_text(encoding="utf-8").partition("\n\n")
            if head.strip() == to:
                _SMS_READ.add(path)
                return text.strip()
        time.sleep(0.1)
    raise AssertionError(f"no SMS to {phone} within {timeout_s} s")


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz/web", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on {url} within {timeout_s} s")


def _migrate_postgres(env: dict[str, str], database_url: str) -> None:
    """Copy the database migrated by an earlier run from the same migrations (kept as
    a template: CREATE DATABASE ... TEMPLATE copies files), else migrate and keep it.
    One template for all workers, looked for and made under an advisory lock: a
    worker that finds another migrating it waits, then copies it."""
    name = urlsplit(database_url).path.lstrip("/")
    prefix = f"{name.removesuffix(_worker_suffix())}_migrated_"
    template = prefix + migrations_digest()
    with _postgres_admin(database_url) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK])
        with _postgres_admin(database_url) as conn:
            if conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [template]
            ).fetchone():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
        manage(env, "migrate", "--noinput", "-v", "0")
        with _postgres_admin(database_url) as conn:
            stale = conn.execute(
                "SELECT datname FROM pg_database WHERE left(datname, %s) = %s",
                [len(prefix), prefix],
            ).fetchall()
            for (old,) in stale:
                conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')


def migrate(env: dict[str, str], database_url: str) -> None:
    """Migrate, or copy a database migrated from the same migrations by an earlier
    run (PostgreSQL: a template database; SQLite: a file under var/e2e/)."""
    if database_url.startswith("postgres"):
        _migrate_postgres(env, database_url)
        return
    target = Path(database_url.removeprefix("sqlite:///"))
    cached = ROOT / "var" / "e2e" / f"migrated-{migrations_digest()}.sqlite3"
    cached.parent.mkdir(parents=True, exist_ok=True)
    with open(cached.parent / ".lock", "w") as guard:  # one worker migrates
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not cached.exists():
            manage(env, "migrate", "--noinput", "-v", "0")
            for stale in cached.parent.glob("migrated-*.sqlite3"):
                stale.unlink()
            shutil.copyfile(target, cached.with_suffix(".tmp"))
            cached.with_suffix(".tmp").replace(cached)
            return
    shutil.copyfile(cached, target)


@contextmanager
def live_server(tmp_dir: Path) -> Iterator[str]:
    """Migrate a fresh database, add the demo data (`seed_demo`, as `make run` does),
    serve it with uvicorn (ASGI), yield the base URL."""
    with e2e_database(tmp_dir) as database_url:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = server_env(database_url, tmp_dir, url)
        manage(env, "compile_translations")
        migrate(env, database_url)
        manage(env, "seed_demo")
        log = (tmp_dir / "server.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "lms.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _SERVER_ENVS[url] = env
        try:
            wait_until_up(url, process)
            yield url
        finally:
            _SERVER_ENVS.pop(url, None)
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
