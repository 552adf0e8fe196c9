"""Two sign-ups with one national ID at the same moment still contest it (the
claim check is serialised per ID on PostgreSQL)."""

from __future__ import annotations

import pytest

from lms.accounts.models import NationalIdClaim
from lms.accounts.services import user_register_trainee
from tests.conftest import requires_postgres
from tests.factories import make_national_id


@pytest.fixture
def db(committed_db):
    """The sign-ups run in threads with their own connections: what they write is
    committed; the module cleans up once at its end (tests/conftest.py)."""


def register(national_id: str, phone: str):
    return user_register_trainee(
        national_id=national_id,
        full_name_ar="منى أحمد",
        phone=phone,
        password="Kh!yata-2026x",
    )


@requires_postgres
def test_two_sign_ups_with_one_id_at_once_still_contest_it(db, monkeypatch):
    """Without the lock both would see no other claim and both stay `claimed`."""
    import threading
    import time

    from django.db import connection

    from lms.accounts import claims

    record = claims._record

    def slow_record(*args, **kwargs):
        record(*args, **kwargs)
        time.sleep(0.3)  # hold the transaction open after the claim is written

    monkeypatch.setattr(claims, "_record", slow_record)
    nid = make_national_id()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sign_up(phone: str) -> None:
        try:
            start.wait()
            register(nid, phone)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign_up, args=(p,))
        for p in ("01031111111", "01032222222")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    states = set(
        NationalIdClaim.objects.filter(national_id=nid).values_list("state", flat=True)
    )
    assert states == {"contested"}
