"""The production-like server the live-class and exam benches measure.

`DEBUG=0` with the settings production must set (secret keys, SITE_URL, e-mail
backend), PostgreSQL, optionally Redis (cache, sessions, channel layer), N uvicorn
worker processes in a session of their own (bench/proc_cpu.py reads that session's
CPU), started once /healthz answers, and stopped with the whole session.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_signing_key_pem() -> str:
    """A fixed Ed25519 key (PKCS#8 PEM), the same in every run: DEBUG=0 requires
    REGISTRY_SIGNING_KEY to be a real key (a placeholder fails the registry's
    migration that records the key in use), and a key generated per run would
    record a new signing key in the bench database each time."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hashlib.sha256(b"maharat-bench-only-registry-signing-key").digest()
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def production_env(
    *, database_url: str, redis_url: str | None, port: int, **extra: str
) -> dict[str, str]:
    """The environment of a DEBUG=0 web node on 127.0.0.1:`port`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "REGISTRY_SIGNING_KEY": os.environ.get("REGISTRY_SIGNING_KEY")
        or bench_signing_key_pem(),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no TLS proxy in front
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


class Server:
    """`with Server(env, port, workers) as server:` … `server.pid` is the session."""

    def __init__(
        self, env: dict[str, str], port: int, workers: int, *args: str
    ) -> None:
        self.env, self.port, self.workers, self.args = env, port, workers, args
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "lms.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--no-access-log",
                "--log-level",
                "warning",
                *self.args,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_until_serving(self, timeout_s: float = 180) -> None:
        """Start the clock once every worker answers, as a load balancer's health
        check would: the supervisor opens the port before its workers load Django."""
        deadline = time.monotonic() + timeout_s
        answered = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"uvicorn exited with {self.process.returncode}")
            try:
                url = f"http://127.0.0.1:{self.port}/healthz/web"
                with urllib.request.urlopen(url, timeout=5):
                    answered += 1
                    if answered >= 2 * self.workers:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise SystemExit(f"the server did not answer /healthz within {timeout_s:g} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
