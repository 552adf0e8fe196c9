"""Sign-up tells a stranger nothing about who is registered, and is rate-limited per
client address and per national ID."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.sms_steps import sign_up as sign_up_steps
from tests.factories import UserFactory, make_national_id

User = get_user_model()
pytestmark = pytest.mark.django_db
_phones = itertools.count(10_000_000)


def form(**changes):
    return {
        "full_name_ar": "منى أحمد السيد",
        "national_id": make_national_id(),
        "phone": f"010{next(_phones):08d}",
        "password1": "Kh!yata-2026x",
        "password2": "Kh!yata-2026x",
        **changes,
    }


def sign_up(client, **changes):
    response = sign_up_steps(client, form(**changes), follow=True)
    client.logout()
    return response


def visible_text(response) -> str:
    """The page as read, without the CSRF token and the form's values."""
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_a_registered_national_id_gets_the_same_page_as_a_new_one(client):
    taken = make_national_id()
    UserFactory(national_id=taken)
    fresh = sign_up(client)
    again = sign_up(client, national_id=taken)
    assert fresh.status_code == again.status_code == 200
    assert fresh.redirect_chain == again.redirect_chain
    assert "already" not in visible_text(again).lower()
    assert "موجود" not in visible_text(again)


def test_a_registered_email_is_not_revealed_and_its_owner_is_told(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="mona@example.com")
    fresh = sign_up(client, email="new@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = sign_up(client, email="Mona@example.com")
    assert fresh.redirect_chain == again.redirect_chain
    assert "already" not in visible_text(again).lower()
    assert User.objects.filter(email__iexact="mona@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["Mona@example.com"]]


@pytest.fixture
def rates(settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNTS_SIGNUP_RATE_IP = "3/h"
    settings.ACCOUNTS_SIGNUP_RATE_NATIONAL_ID = "2/h"
    yield settings
    cache.clear()


def test_sign_up_is_limited_per_client_address(client, rates):
    for _ in range(3):
        assert sign_up(client).status_code == 200
    response = client.post(reverse("accounts:signup"), form())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "محاولات" in response.content.decode()
    assert User.objects.count() == 3


def test_sign_up_is_limited_per_national_id_from_any_address(client, rates):
    nid = make_national_id()
    for n in range(2):
        sign_up_steps(client, form(national_id=nid), REMOTE_ADDR=f"10.0.0.{n}")
        client.logout()
    response = client.post(
        reverse("accounts:signup"), form(national_id=nid), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert User.objects.filter(national_id=nid).count() == 2
    other = client.post(reverse("accounts:signup"), form(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_limit_keeps_no_national_id_in_the_cache_keys(rates, monkeypatch):
    from lms.accounts import throttling

    keys = []
    real_add = throttling.cache.add
    monkeypatch.setattr(
        throttling.cache, "add", lambda k, *a: keys.append(k) or real_add(k, *a)
    )
    nid = make_national_id()
    throttling.signup_attempt_check(address="10.1.1.1", national_id=nid)
    assert len(keys) == 2 and not any(nid in k for k in keys)
