"""`make test` runs the suite on pytest-xdist workers (Makefile, PYTEST_WORKERS): each
worker must have its own Redis database, channel names, test database and e2e
database and port, or one worker's tests read and clear the other's state."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from lms.settings_test import (
    REDIS_URL_GIVEN,
    redis_url_for_worker,
    xdist_worker_number,
)
from tests.e2e import harness


@pytest.mark.parametrize(
    ("worker", "expected"),
    [("gw0", 0), ("gw1", 1), ("gw12", 12), ("", None), ("master", None)],
)
def test_the_worker_number_comes_from_xdists_worker_id(worker, expected):
    assert xdist_worker_number({"PYTEST_XDIST_WORKER": worker}) == expected
    assert xdist_worker_number({}) is None


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        # CI: /0 -> workers on /0 and /1
        ("redis://127.0.0.1:6379/0", 0, "redis://127.0.0.1:6379/0"),
        ("redis://127.0.0.1:6379/0", 1, "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/2", 1, "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379", 1, "redis://127.0.0.1:6379/1"),
        (
            "redis://:pw@redis:6379/4?protocol=3",
            2,
            "redis://:pw@redis:6379/6?protocol=3",
        ),
        # one process: the URL as given
        ("redis://127.0.0.1:6379/2", None, "redis://127.0.0.1:6379/2"),
        ("", 1, ""),
    ],
)
def test_each_worker_has_its_own_redis_database(url, worker, expected):
    assert redis_url_for_worker(url, worker) == expected


def test_e2e_port_and_database_follow_the_worker(monkeypatch, tmp_path):
    monkeypatch.setenv("E2E_PORT", "8765")
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert harness.free_port() == 8765
    assert harness._worker_suffix() == ""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert harness.free_port() == 8766
    assert harness._worker_suffix() == "_gw1"


def test_this_process_uses_its_workers_redis_database_everywhere():
    """Settings, the environment (tests and the servers they start read it) and the
    channel layer's names agree on this worker's share of Redis."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL (CI always does)")
    worker = xdist_worker_number()
    assert settings.REDIS_URL == redis_url_for_worker(REDIS_URL_GIVEN, worker)
    assert os.environ["REDIS_URL"] == settings.REDIS_URL
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    if worker is None:
        return
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    assert prefix.endswith(f"-gw{worker}")


@pytest.mark.django_db
def test_this_workers_test_database_is_the_one_checked_for_reuse(request):
    """tests/conftest.py's django_db_createdb decides whether the kept test database
    can be reused: it must run after pytest-django has given the name its worker
    suffix (test_<name>_gw1), or it vouches for another worker's database."""
    from django.db import connection

    definitions = request._fixturemanager.getfixturedefs(
        "django_db_createdb", request.node
    )
    assert "django_db_modify_db_settings" in definitions[-1].argnames
    worker = xdist_worker_number()
    if worker is not None and connection.vendor == "postgresql":
        assert connection.settings_dict["NAME"].endswith(f"_gw{worker}")


def test_the_browser_journeys_are_one_unit_handed_out_first():
    """One e2e server for the run, started while the other worker takes the files."""
    from tests.xdist_units import ordered, unit_of

    assert unit_of("tests/e2e/test_api_docs.py::test_x") == "tests/e2e/"
    assert unit_of("tests/e2e/test_bank_editor.py::test_y[ar]") == "tests/e2e/"
    assert unit_of("tests/lms/test_asgi.py::test_z") == "tests/lms/test_asgi.py"
    units = {
        "tests/a/test_small.py": {"t1": False},
        "tests/e2e/": {"j1": False, "j2": False},
        "tests/b/test_big.py": {"t1": False, "t2": False, "t3": False},
    }
    assert ordered(units) == [
        "tests/e2e/",
        "tests/b/test_big.py",
        "tests/a/test_small.py",
    ]
