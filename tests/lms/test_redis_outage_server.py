"""The real server (uvicorn, lms.asgi) loses its Redis: pages, log-in and
verification keep answering from PostgreSQL, and once Redis is back the cache is
used again without serving an answer a change made while it was away."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import requests

from tests.conftest import requires_postgres, requires_redis
from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pass-Word-123"

pytestmark = [
    pytest.mark.redis,
    requires_redis,
    requires_postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class OwnRedis:
    """A redis-server of this test's own, which it may stop (never the shared one)."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder = free_port(), folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(50):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self, *, keep_data: bool) -> None:
        if keep_data:  # as a restart with persistence would keep it
            redis.Redis.from_url(self.url).save()
        self.process.kill()
        self.process.wait(timeout=10)

    def keys(self, pattern: str) -> list[bytes]:
        return redis.Redis.from_url(self.url).keys(pattern)

    def counters(self) -> dict[bytes, bytes]:
        """The verification rate counters: they move when requests use Redis."""
        client = redis.Redis.from_url(self.url)
        return {key: client.get(key) for key in client.keys("maharat:1:throttle:*")}


def _test_database_url() -> str:
    from django.conf import settings

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


def _seed(settings):
    """A trainee who can log in on the server, and an issued certificate."""
    from django.contrib.auth.hashers import make_password

    from registry.services import certificate_approve, certificate_create_pending
    from tests.factories import UserFactory, make_national_id

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    trainee = UserFactory(username="01099999999", phone="01099999999", role="trainee")
    trainee.password = make_password(PASSWORD)
    trainee.save(update_fields=["password"])
    from lms.accounts.services import staff_directorate_assign

    maker = UserFactory(role="ministry_staff", is_staff=True)
    checker = UserFactory(role="ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=maker.pk, directorate_code="HQ")
    staff_directorate_assign(user_id=checker.pk, directorate_code="HQ")
    pending = certificate_create_pending(
        user_id=None,
        national_id=make_national_id(),
        full_name_ar="منى أحمد",
        full_name_en="Mona Ahmed",
        occupation_code="7531",
        level_code="skilled",
        source="platform_test",
        evidence={},
        created_by_id=maker.pk,
        idempotency_key="outage-test:1",
    )
    cert = certificate_approve(certificate_id=pending.id, approver_id=checker.pk)
    return cert, maker


def _revoke_with_redis_down(settings, own_redis, cert, actor) -> None:
    """The revocation runs in a process whose cache is the stopped Redis: its
    marker write is lost."""
    from lms.kernel.redis_outage import reset_breakers
    from tests.registry.helpers import revoke_by_two as certificate_revoke

    settings.CACHES = {
        "default": {
            "BACKEND": "lms.kernel.cache.SharedRedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "maharat",
        }
    }
    reset_breakers()
    certificate_revoke(certificate_id=cert.id, actor_id=actor.pk, reason="forged")


def _get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    started = time.monotonic()
    response = session.get(url, timeout=5, **kwargs)
    assert time.monotonic() - started < 2, url
    assert response.status_code == 200, (url, response.status_code)
    return response


def _log_in(base: str) -> None:
    session = requests.Session()
    form = _get(session, f"{base}/accounts/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    started = time.monotonic()
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "01099999999",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=5,
    )
    assert time.monotonic() - started < 2
    assert response.status_code == 200 and response.url.endswith("/dashboard/"), (
        response.status_code,
        response.url,
    )


def test_the_server_answers_without_redis_and_uses_it_again_when_back(
    settings, tmp_path
):
    own_redis = OwnRedis(tmp_path)
    own_redis.start()
    cert, staff = _seed(settings)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": own_redis.url,
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "REDIS_RETRY_AFTER_S": "1",
        "PYTHONUNBUFFERED": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "lms.asgi:application",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        web = requests.Session()
        api = f"{base}/api/v1/verify/{cert.serial}/"
        assert _get(web, api).json()["status"] == "issued"
        assert own_redis.keys("maharat:1:registry:verify:*")  # cached in Redis

        own_redis.stop(keep_data=True)
        _revoke_with_redis_down(settings, own_redis, cert, staff)
        _get(web, f"{base}/")
        _log_in(base)
        _get(web, f"{base}/verify/")
        _get(web, f"{base}/verify/{cert.serial}/")
        assert _get(web, api).json()["status"] == "revoked"

        own_redis.start()  # still holding the "issued" answer
        assert own_redis.keys("maharat:1:registry:verify:*")
        counted = own_redis.counters()
        deadline = time.monotonic() + 5
        while own_redis.counters() == counted:  # until requests reach Redis again
            assert time.monotonic() < deadline, "the cache was not used again"
            assert _get(web, api).json()["status"] == "revoked"
            time.sleep(0.2)
        for _ in range(3):
            assert _get(web, api).json()["status"] == "revoked"
    finally:
        server.terminate()
        server.wait(timeout=10)
        if own_redis.process and own_redis.process.poll() is None:
            own_redis.process.kill()
    log.seek(0)
    output = log.read()
    assert "Traceback" not in output, output[-3000:]
    assert "unreachable" in output  # the outage was reported
