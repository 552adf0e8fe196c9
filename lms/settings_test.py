"""Settings for the test suite: `lms.settings` as the environment makes it, with what
tests need instead (pytest-django selects this module: pyproject.toml,
[tool.pytest.ini_options]; wagtail/bakerydemo keeps its test settings the same way).

Processes that tests start (servers, manage.py, the e2e harness) use `lms.settings`.
"""

import os
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit


def xdist_worker_number(environ: Mapping[str, str] = os.environ) -> int | None:
    """This process's number among `make test`'s pytest-xdist workers (gw0 -> 0,
    gw1 -> 1), or None when the suite runs in one process (PYTEST_WORKERS=0)."""
    worker = environ.get("PYTEST_XDIST_WORKER", "")
    digits = worker.removeprefix("gw")
    return int(digits) if worker.startswith("gw") and digits.isdigit() else None


def redis_url_for_worker(url: str, worker: int | None) -> str:
    """Each worker its own Redis database: REDIS_URL's number plus the worker's
    (/0 -> /0 and /1), so that one worker's cache.clear() (FLUSHDB) and kept pages
    never reach the other's; the URL as given outside xdist."""
    if not url or worker is None:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + worker}"))


# Before lms.settings reads it, and in the environment, so that every Redis client of
# this worker agrees: the settings, tests reading REDIS_URL, the servers, manage.py
# and task workers that tests start (the e2e server among them).
XDIST_WORKER = xdist_worker_number()
REDIS_URL_GIVEN = os.environ.get("REDIS_URL", "")
if XDIST_WORKER is not None and os.environ.get("REDIS_URL"):
    if "lms.settings" in sys.modules:
        raise RuntimeError("lms.settings was imported before lms.settings_test")
    os.environ["REDIS_URL"] = redis_url_for_worker(
        os.environ["REDIS_URL"], XDIST_WORKER
    )

from lms.settings import *  # noqa: E402, F403
from lms.settings import (  # noqa: E402
    BASE_DIR,
    CHANNEL_LAYERS,
    DATABASES,
    INSTALLED_APPS,
    REDIS_URL,
    STORAGES,
    TASK_QUEUES,
)

# Redis pub/sub ignores database numbers: a group message of one worker would reach
# the other's subscribers of a group of the same name (ids repeat between the two
# test databases), so each worker's channel layer names its own channels.
if XDIST_WORKER is not None and "prefix" in CHANNEL_LAYERS["default"].get("CONFIG", {}):
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] += f"-gw{XDIST_WORKER}"

# A user is created in most tests: Argon2 costs tens of milliseconds each time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run inside the test (and its transaction) when enqueued; tests of the real
# queues set TASKS themselves. RQ is not installed: no test runs an RQ worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_rq"]

# Without Redis, a cache of this process only: the file cache `make run` shares
# between the site and its worker would leak entries from one test into the next.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "maharat",
        }
    }

# Templates use {% static %} without a collected manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Each test thread opens its own connection; a pool would outlive the test database.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

# SQLite: a file, so that --reuse-db keeps it (an in-memory database is migrated
# again on every run, about 40 s of CPU). PostgreSQL keeps Django's test_<name>.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}

# Sign-ups come from one address all suite long; the throttle's own tests set theirs.
ACCOUNTS_SIGNUP_RATE_IP = "10000/h"
ACCOUNTS_SIGNUP_RATE_NATIONAL_ID = "10000/h"

# SMS kept in memory (lms.kernel.notifications.gateways.MemoryGateway.outbox), as
# Django keeps test e-mail in mail.outbox; the gateway's own tests set theirs.
SMS_BACKEND = "memory"

# seed_demo's demo video: the 6 s test clip, processed at once (the narrated trade
# videos take seconds to make and minutes to transcode; their own tests ask for them).
DEMO_VIDEOS = "clip"

# Sign-up proves the number by a code (read from the outbox above); the limits of SMS
# per number and of reset requests per address are the throttle tests' own.
ACCOUNTS_PHONE_VERIFICATION = True
ACCOUNTS_SMS_RATE_PHONE = "10000/h"
ACCOUNTS_RESET_RATE_IP = "10000/h"

# Signed-in pages kept per user (lms.kernel.personal_pages) are answered only while
# the services say nothing changed; many tests move rows behind the services' back
# (update(), back-dated visits). The module's own tests switch it on.
PERSONAL_PAGE_CACHE_SECONDS = 0
