"""Runs the two independent verifiers (Node: Digital Bazaar; Python: from the specs
with rfc8785) on what the site publishes, each in its own process.

The Node one is installed on first use from its lock file (`npm ci` in node/;
node_modules is ignored by git); the Python one needs `cryptography` and `rfc8785`
(requirements-dev.lock).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "node"
PY_DIR = HERE / "python"


def node_ready() -> None:
    """node_modules matching package-lock.json (npm ci when it does not)."""
    if not shutil.which("node") or not shutil.which("npm"):
        raise RuntimeError(
            "node and npm are needed (scripts/system_packages.sh test installs them)"
        )
    lock = (NODE_DIR / "package-lock.json").read_bytes()
    installed = NODE_DIR / "node_modules" / ".maharat-lock"
    if installed.exists() and installed.read_bytes() == lock:
        return
    with open(NODE_DIR / ".install-lock", "w") as guard:  # one npm ci at a time
        fcntl.flock(guard, fcntl.LOCK_EX)
        if installed.exists() and installed.read_bytes() == lock:
            return
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            capture_output=True,
            timeout=600,
        )
        installed.write_bytes(lock)


def _run(command: list[str], payload: dict, env: dict | None = None) -> dict:
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", encoding="utf-8", delete=False
    ) as handle:
        json.dump(payload, handle, ensure_ascii=False)
    try:
        done = subprocess.run(
            [*command, handle.name],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        raise RuntimeError(f"verifier crashed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def node_verify(payload: dict) -> dict:
    node_ready()
    return _run(["node", str(NODE_DIR / "verify.mjs")], payload)


def python_verify(payload: dict) -> dict:
    return _run([sys.executable, str(PY_DIR / "verify.py")], payload)
