"""The password hasher: Django's Argon2, computed at background CPU priority.

Argon2 is slow on purpose (100 MiB and ~0.24 s of CPU per hash with Django's
parameters): a stolen hash must be costly to guess. On a web node that cost is spent
by every sign-in (and every sign-up, password change and reset), and in a surge of
sign-ins it took the cores from the pages of trainees already signed in: in the surge
bench 100 sign-ins within 20 s were half of the machine.

Here the hash is the same (algorithm name ``argon2``, the same parameters and encoded
form, so stored hashes verify either way and ``must_update`` still upgrades old ones)
but it is computed on a thread of this process that runs at a lower priority (a
higher nice value, ``PASSWORD_HASHER_NICE``), at most ``PASSWORD_HASHER_THREADS`` at
once per process. Argon2 releases the GIL, so the request threads go on; when the
machine is busy the kernel gives them the cores first, and a sign-in waits for the
time left over. An idle machine signs in as fast as before. Libargon2's own lane
threads are started from the hashing thread and inherit its priority (Linux keeps
the nice value per thread). Elsewhere than Linux, where the nice value is the whole
process's, the priority is left alone and only the number at once is bounded.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import hashers

T = TypeVar("T")
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None


def _nice() -> int:
    return int(getattr(settings, "PASSWORD_HASHER_NICE", 10))


def _lower_priority() -> None:
    """In each hashing thread, once: raise its nice value (any process may lower
    its own priority; raising it back would need privileges, and is never done)."""
    if not sys.platform.startswith("linux") or _nice() <= 0:
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, _nice()))
    except OSError:  # a sandbox that forbids it: the hash still runs
        pass


def _executor() -> ThreadPoolExecutor:
    """The process's hashing threads (made again in a forked child: threads do not
    survive a fork)."""
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(
                max_workers=max(
                    1, int(getattr(settings, "PASSWORD_HASHER_THREADS", 1))
                ),
                thread_name_prefix="password-hash",
                initializer=_lower_priority,
            )
            _pool_pid = os.getpid()
        return _pool


def in_background(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` on a hashing thread; its result or its exception here."""
    return _executor().submit(work, *args).result()


def hashing_thread_nice() -> int:
    """The nice value the hashing threads run at (what the tests check)."""
    return in_background(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    )


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Django's Argon2 hasher, its hash computed by `in_background`."""

    def encode(self, password: str, salt: str) -> str:
        return in_background(super().encode, password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        return in_background(super().verify, password, encoded)
