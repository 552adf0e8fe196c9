"""Redis down while the registry changes: the change succeeds, and the answer Redis
still holds from before is never served again when it comes back."""

from __future__ import annotations

import socket
from contextlib import closing, contextmanager

import pytest
from django.core.cache import caches

from lms.kernel.generations import generation_get, generation_stale
from lms.kernel.models import CacheGeneration
from lms.kernel.redis_outage import note_lost_write, reset_breakers
from registry.cache import GENERATION, statistics_cache_key, verification_cache_key
from registry.selectors import verification_answer
from tests.registry.helpers import revoke_by_two as certificate_revoke


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
def redis_down(settings):
    """The default cache is a Redis nothing answers on."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.kernel.cache.SharedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


_WRITES = ("set", "set_many", "delete", "delete_many", "add", "incr")


@contextmanager
def writes_lost():
    """The cache still holds what it held, but every write is dropped (and said so),
    as the degraded Redis cache does: Redis seen from a partitioned node, or a Redis
    about to restart from its append-only file."""
    cache = caches["default"]

    def dropped(*args, **kwargs):
        note_lost_write()
        return list(args[0]) if args and isinstance(args[0], dict) else None

    for name in _WRITES:
        setattr(cache, name, dropped)
    try:
        yield
    finally:
        for name in _WRITES:
            delattr(cache, name)


def test_a_revocation_whose_marker_was_lost_is_not_answered_issued_afterwards(
    make_issued, ministry_staff, django_capture_on_commit_callbacks
):
    cert = make_issued()
    assert verification_answer(serial=cert.serial)["status"] == "issued"  # cached
    with writes_lost(), django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason="forged"
        )
    # Redis is back, still holding the "issued" answer: it is never read again.
    assert verification_answer(serial=cert.serial)["status"] == "revoked"
    assert CacheGeneration.objects.get(name=GENERATION).value >= 1


def test_without_a_lost_write_the_generation_stays(
    make_issued, ministry_staff, django_capture_on_commit_callbacks
):
    cert = make_issued()
    before = verification_cache_key(cert.serial)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason="x"
        )
    assert verification_cache_key(cert.serial) == before
    assert not CacheGeneration.objects.filter(name=GENERATION, value__gt=0).exists()


def test_revoking_while_redis_is_down_succeeds_and_reads_come_from_the_database(
    make_issued, ministry_staff, redis_down, django_capture_on_commit_callbacks
):
    cert = make_issued()
    with django_capture_on_commit_callbacks(execute=True):
        revoked = certificate_revoke(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason="forged"
        )
    assert revoked.status == "revoked"
    assert verification_answer(serial=cert.serial)["status"] == "revoked"
    assert CacheGeneration.objects.get(name=GENERATION).value >= 1


def test_a_bump_by_another_process_is_seen_within_the_check_interval(db, settings):
    settings.CACHE_GENERATION_CHECK_S = 0
    key = verification_cache_key("ABC")
    stats_key = statistics_cache_key({"occupation": "7531"})
    CacheGeneration.objects.update_or_create(name=GENERATION, defaults={"value": 41})
    assert verification_cache_key("ABC") != key
    assert ":41:" in verification_cache_key("ABC")
    assert statistics_cache_key({"occupation": "7531"}) != stats_key


async def test_reading_the_generation_never_blocks_the_event_loop(settings):
    settings.CACHE_GENERATION_CHECK_S = 0
    assert generation_stale()
    # no database access from the loop (it would raise SynchronousOnlyOperation)
    assert isinstance(generation_get(GENERATION), int)


def test_the_verification_page_and_api_answer_with_redis_down(
    make_issued, redis_down, client
):
    cert = make_issued()
    for _ in range(3):
        page = client.get(f"/verify/{cert.serial}/")
        api = client.get(f"/api/v1/verify/{cert.serial}/")
        assert page.status_code == api.status_code == 200
        assert api.json()["status"] == "issued"


def test_the_throttle_lets_requests_through_when_it_cannot_count(
    make_issued, redis_down, client, settings
):
    from registry.throttling import VerifyThrottle

    cert = make_issued()
    limit = VerifyThrottle().num_requests
    statuses = {
        client.get(f"/api/v1/verify/{cert.serial}/").status_code
        for _ in range(limit + 2)
    }
    assert statuses == {200}
