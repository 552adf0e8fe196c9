"""Which scheduler locks a worker releases: only those whose holder is dead, never a
live one's, never one that changed hands (RQ's own keys and scripts, real Redis)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid

import pytest
import redis

from lms.ops.rq_worker import (
    SILENT_S,
    holder_is_dead,
    scheduler_lock_holder,
    scheduler_locks_release_dead,
)
from tests.conftest import requires_redis

pytestmark = [pytest.mark.redis, requires_redis]
FULL_TTL_S = 61  # RQ: interval (1) + 60


@pytest.fixture
def conn():
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    made: list[str] = []
    client.made = made
    yield client
    if made:
        client.delete(*made)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _hold(conn, *, silent_s: float, host: str | None, pid: int | None) -> str:
    """A queue whose scheduler lock was last refreshed `silent_s` ago by a holder
    registered on `host` with `pid` (host None: not registered yet)."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    name = uuid.uuid4().hex
    lock = f"rq:scheduler-lock:{queue}"
    conn.set(lock, name, px=int((FULL_TTL_S - silent_s) * 1000))
    conn.made.append(lock)
    if host is not None:
        key = f"rq:scheduler:{name}"
        conn.hset(key, mapping={"name": name, "hostname": host, "pid": str(pid)})
        conn.expire(key, FULL_TTL_S)
        conn.made.append(key)
    return queue


HERE = socket.gethostname()


def test_a_live_scheduler_on_this_host_keeps_its_lock(conn):
    queue = _hold(conn, silent_s=5, host=HERE, pid=os.getpid())
    assert scheduler_locks_release_dead(conn, [queue]) == []
    assert conn.exists(f"rq:scheduler-lock:{queue}")


def test_a_lock_of_a_process_gone_from_this_host_is_released(conn):
    queue = _hold(conn, silent_s=4, host=HERE, pid=_dead_pid())
    assert scheduler_locks_release_dead(conn, [queue]) == [queue]
    assert not conn.exists(f"rq:scheduler-lock:{queue}")


def test_a_lock_refreshed_a_moment_ago_is_kept_even_if_its_pid_is_not_here(conn):
    # a container with the same host name may hold it: a live one refreshes every second
    queue = _hold(conn, silent_s=1, host=HERE, pid=_dead_pid())
    assert scheduler_locks_release_dead(conn, [queue]) == []
    assert conn.exists(f"rq:scheduler-lock:{queue}")


def test_at_start_up_a_fresh_lock_of_a_gone_process_is_looked_at_again(conn):
    queue = _hold(conn, silent_s=1, host=HERE, pid=_dead_pid())
    started = time.monotonic()
    assert scheduler_locks_release_dead(conn, [queue], settle_s=4) == [queue]
    assert 1.5 < time.monotonic() - started < 4


def test_another_hosts_scheduler_is_dead_only_once_silent(conn):
    quiet = _hold(conn, silent_s=SILENT_S - 4, host="elsewhere", pid=1)
    gone = _hold(conn, silent_s=SILENT_S + 5, host="elsewhere", pid=1)
    assert scheduler_locks_release_dead(conn, [quiet, gone]) == [gone]
    assert conn.exists(f"rq:scheduler-lock:{quiet}")


def test_a_holder_not_registered_yet_keeps_a_fresh_lock(conn):
    # between RQ's acquire_locks (worker) and register_birth (forked scheduler)
    queue = _hold(conn, silent_s=0.5, host=None, pid=None)
    holder = scheduler_lock_holder(conn, queue)
    assert holder is not None and holder.pid is None and not holder_is_dead(holder)
    assert scheduler_locks_release_dead(conn, [queue], settle_s=4) == []


def test_a_lock_that_changed_hands_meanwhile_is_not_deleted(conn, monkeypatch):
    queue = _hold(conn, silent_s=SILENT_S + 5, host="elsewhere", pid=1)
    lock = f"rq:scheduler-lock:{queue}"
    real = scheduler_lock_holder

    def then_taken(*args, **kwargs):
        holder = real(*args, **kwargs)
        conn.set(lock, "a-new-scheduler", ex=FULL_TTL_S)  # another worker took it
        return holder

    monkeypatch.setattr("lms.ops.rq_worker.scheduler_lock_holder", then_taken)
    assert scheduler_locks_release_dead(conn, [queue]) == []
    assert conn.get(lock) == b"a-new-scheduler"


def test_no_lock_nothing_to_release(conn):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    assert scheduler_lock_holder(conn, queue) is None
    assert scheduler_locks_release_dead(conn, [queue]) == []
