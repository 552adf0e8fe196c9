import itertools
import uuid

import pytest

from lms.accounts.services import staff_directorate_assign
from registry.services import certificate_approve, certificate_create_pending
from tests.factories import make_national_id


def staff_of(make_user, directorate: str = "HQ"):
    """A ministry staff account placed in a directorate ("HQ": the head office)."""
    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code=directorate)
    user.refresh_from_db()
    return user


@pytest.fixture
def ministry_staff(make_user):
    """Registry work is scoped by directorate: this one works at the head office."""
    return staff_of(make_user)


@pytest.fixture
def second_staff(make_user):
    return staff_of(make_user)


@pytest.fixture
def sharqia_staff(make_user):
    """Staff of the Sharqia directorate (governorate 13), as the demo's staff2."""
    return staff_of(make_user, "13")


@pytest.fixture
def sharqia_staff2(make_user):
    return staff_of(make_user, "13")


@pytest.fixture
def revoke(second_staff, make_user):
    """Revoke by two people: `revoke(cert, reason, requester=, confirmer=)`."""
    from registry.services import (
        revocation_request_confirm,
        revocation_request_create,
    )

    def do(cert, reason="forged", *, requester=None, confirmer=None):
        requester = requester or staff_of(make_user)
        confirmer = confirmer or second_staff
        request = revocation_request_create(
            certificate_id=cert.id, actor_id=requester.pk, reason=reason
        )
        return revocation_request_confirm(request_id=request.id, actor_id=confirmer.pk)

    return do


@pytest.fixture
def make_pending(db, ministry_staff):
    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        kwargs = {
            "user_id": None,
            "national_id": make_national_id(),
            "full_name_ar": "منى أحمد السيد",
            "full_name_en": "Mona Ahmed El-Sayed",
            "occupation_code": "7531",
            "level_code": "skilled",
            "source": "platform_test",
            "evidence": {"attempt_id": counter["n"]},
            "created_by_id": ministry_staff.pk,
            # unique beyond the test: some modules commit (committed_db)
            "idempotency_key": f"test:{uuid.uuid4().hex}",
        }
        kwargs.update(overrides)
        return certificate_create_pending(**kwargs)

    return make


@pytest.fixture
def make_issued(make_pending, second_staff):
    def make(**overrides):
        pending = make_pending(**overrides)
        return certificate_approve(
            certificate_id=pending.id, approver_id=second_staff.pk
        )

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached answers (verification, statistics) never outlive a test's rolled-back
    data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


_WINDOWS = itertools.count()


@pytest.fixture(autouse=True)
def _own_rate_window(monkeypatch):
    """The verify limit counts per fixed window: each test gets a window of its own
    (an hour apart), so no test straddles a boundary or inherits another's count."""
    moment = 1_800_000_000.0 + 3600 * next(_WINDOWS) + 30
    monkeypatch.setattr("registry.throttling.now", lambda: moment)


@pytest.fixture(autouse=True)
def _private_root(settings, monkeypatch, tmp_path):
    """Import files and reports (private storage) go to the test's own folder."""
    from tests.private_storage import use_private_root

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    use_private_root(settings, monkeypatch, settings.PRIVATE_MEDIA_ROOT)
    settings.TASKS_SCRATCH_DIR = str(tmp_path / "scratch")
