"""The real ASGI server's output carries no national ID: uvicorn's access log prints
every request line with its query string, and configures its loggers before Django
starts (lms.accounts.logging.configure_logging puts the mask on them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
NATIONAL_ID = "29001010112345"
EASTERN = "٢٩٠٠١٠١٠١١٢٣٤٥"  # the same ID typed on an Arabic keyboard


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("uvicorn exited before answering")
        try:
            _get(f"{base}/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("uvicorn did not answer within 90 s")


def test_uvicorn_access_log_masks_national_ids_in_urls(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # the server's own settings (lms.settings), not the test suite's
    unset = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "server.log").open("w")
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
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(base, process)
        paths = [
            f"/verify/?serial={NATIONAL_ID}",
            f"/catalog/search/?q={NATIONAL_ID}",
            f"/catalog/search/?q={quote(EASTERN)}",
            f"/api/v1/verify/{NATIONAL_ID}/",  # answered by the fast path
        ]
        for path in paths:
            _get(base + path)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    output = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert output.count("GET /verify/?serial=2900101******5") == 1, output
    assert output.count("GET /catalog/search/?q=2900101******5") == 2, output
    assert "GET /api/v1/verify/2900101******5/" in output, output
    assert NATIONAL_ID not in output and EASTERN not in output
    assert quote(EASTERN) not in output
