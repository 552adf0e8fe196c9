"""The outbox other apps write notices to (lms/kernel/notifications)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.translation import gettext as _

from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.selectors import notifications_for
from lms.kernel.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _compose() -> Notice:
    return Notice(subject=_("Sign in"), text=_("Sign in"), link="/classes/1/")


def test_each_active_recipient_gets_one_notice():
    first, second = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    written = notify(
        user_ids=[first.pk, second.pk, gone.pk, first.pk],
        kind="class_cancelled",
        compose=_compose,
    )
    assert written == 2
    (notice,) = notifications_for(user_id=first.pk)
    assert (notice.kind, notice.link) == ("class_cancelled", "/classes/1/")
    assert notifications_for(user_id=gone.pk) == []


def test_a_rolled_back_change_notifies_nobody():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user_ids=[user.pk], kind="class_cancelled", compose=_compose)
        raise RuntimeError("the change failed")
    assert notifications_for(user_id=user.pk) == []


@pytest.mark.parametrize("kind", ["", "x" * 61])
def test_a_notice_needs_a_kind(kind):
    with pytest.raises(ValueError):
        notify(user_ids=[UserFactory().pk], kind=kind, compose=_compose)
