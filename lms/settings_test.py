"""Settings for the test suite: `lms.settings` as the environment makes it, with what
tests need instead (pytest-django selects this module: pyproject.toml,
[tool.pytest.ini_options]; wagtail/bakerydemo keeps its test settings the same way).

Processes that tests start (servers, manage.py, the e2e harness) use `lms.settings`.
"""

from lms.settings import *  # noqa: F403
from lms.settings import (
    BASE_DIR,
    DATABASES,
    INSTALLED_APPS,
    REDIS_URL,
    STORAGES,
    TASK_QUEUES,
)

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
