"""The password hasher: Django's Argon2 hashes, computed on a low-priority thread."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from django.contrib.auth import hashers as django_hashers
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from lms.accounts import hashers

ARGON2 = ["lms.accounts.hashers.Argon2PasswordHasher"]


class SmallArgon2(hashers.Argon2PasswordHasher):
    """The same code with a small memory cost: tests make many hashes."""

    memory_cost = 1024


class SmallDjangoArgon2(django_hashers.Argon2PasswordHasher):
    memory_cost = 1024


def test_production_settings_use_it_first():
    from lms import settings as production

    assert production.PASSWORD_HASHERS[0] == ARGON2[0]
    algorithms = [
        django_hashers.import_string(path).algorithm
        for path in production.PASSWORD_HASHERS
    ]
    assert len(algorithms) == len(set(algorithms))  # one hasher per algorithm name


def test_hashes_are_djangos_argon2_either_way():
    ours, theirs = SmallArgon2(), SmallDjangoArgon2()
    salt = ours.salt()
    encoded = ours.encode("Tailor-2026", salt)
    assert encoded == theirs.encode("Tailor-2026", salt)
    assert theirs.verify("Tailor-2026", encoded)
    assert ours.verify("Tailor-2026", theirs.encode("Tailor-2026", theirs.salt()))
    assert not ours.verify("tailor-2026", encoded)
    assert not ours.must_update(encoded)


def test_the_hash_runs_on_a_hashing_thread_not_the_callers():
    seen = []

    def work(value):
        seen.append(threading.current_thread().name)
        return value * 2

    assert hashers.in_background(work, 21) == 42
    assert seen[0].startswith("password-hash")
    assert seen[0] != threading.current_thread().name


def test_an_error_in_the_hash_reaches_the_caller():
    def broken():
        raise ValueError("bad salt")

    with pytest.raises(ValueError, match="bad salt"):
        hashers.in_background(broken)
    assert hashers.in_background(lambda: "still works") == "still works"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")
def test_the_hashing_thread_runs_at_a_lower_priority_than_the_requests():
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert own < 10
    assert hashers.hashing_thread_nice() == 10
    # the request thread keeps its own priority
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own


@pytest.mark.django_db
def test_sign_in_checks_a_password_through_it(settings, client, make_user, monkeypatch):
    settings.PASSWORD_HASHERS = ARGON2
    handed = []
    real = hashers.in_background

    def counted(work, *args):
        handed.append(work.__name__)
        return real(work, *args)

    monkeypatch.setattr(hashers, "in_background", counted)
    user = make_user("trainee")
    user.set_password("Refrigeration-99")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert check_password("Refrigeration-99", user.password)
    assert not check_password("refrigeration-99", user.password)
    url = reverse("accounts:login")
    wrong = client.post(url, {"username": user.username, "password": "wrong-one-9"})
    assert wrong.status_code == 200
    signed = client.post(
        url, {"username": user.username, "password": "Refrigeration-99"}
    )
    assert signed.status_code == 302
    assert signed["Location"] == reverse("home:dashboard")
    # set_password, two checks, then the form's wrong and right tries
    assert handed[:1] == ["encode"] and handed.count("verify") >= 4
    assert make_password("x").startswith("argon2$argon2id$")
