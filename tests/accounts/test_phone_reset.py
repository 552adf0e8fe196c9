"""Password reset by SMS: the number people log in with, a code sent to it, a new
password; the same answer for a number without an account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import PhoneCode
from lms.kernel.notifications.gateways import MemoryGateway
from tests.accounts.sms_steps import code_sent_to, texts_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW = "Tabreed-2027-new"


@pytest.fixture
def owner():
    return UserFactory(
        username="01044445555", phone="01044445555", password="Old-Pass-2026x"
    )


def ask(client, phone, **extra):
    return client.post(reverse("accounts:password_reset"), {"phone": phone}, **extra)


def type_code(client, code):
    return client.post(reverse("accounts:password_reset_code"), {"code": code})


def choose(client, password=NEW):
    return client.post(
        reverse("accounts:password_reset_new"),
        {"password1": password, "password2": password},
    )


def visible(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"010\d{8}", "<phone>", html)


def test_a_code_by_sms_lets_the_owner_choose_a_new_password(client, owner):
    response = ask(client, "٠١٠٤٤٤٤٥٥٥٥")
    assert response["Location"] == reverse("accounts:password_reset_code")
    assert "إعادة تعيين كلمة المرور" in texts_to(owner.phone)[-1]
    response = type_code(client, code_sent_to(owner.phone))
    assert response["Location"] == reverse("accounts:password_reset_new")
    response = choose(client)
    assert response["Location"] == reverse("accounts:password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    logged_in = client.post(
        reverse("accounts:login"), {"username": owner.phone, "password": NEW}
    )
    assert logged_in.status_code == 302


def test_a_number_without_an_account_gets_the_same_pages_and_no_sms(client, owner):
    known = ask(client, owner.phone)
    known_page = client.get(known["Location"])
    stranger = Client()
    unknown = ask(stranger, "01099990000")
    unknown_page = stranger.get(unknown["Location"])
    assert known["Location"] == unknown["Location"]
    assert visible(known_page) == visible(unknown_page)
    assert texts_to("01099990000") == []
    refused = type_code(stranger, "123456")
    assert refused.status_code == 400
    assert "ليس الرمز الذي أرسلناه" in refused.content.decode()


def test_the_new_password_page_needs_a_code_typed_right(client, owner):
    response = client.get(reverse("accounts:password_reset_new"))
    assert response["Location"] == reverse("accounts:password_reset")
    ask(client, owner.phone)
    assert choose(client)["Location"] == reverse("accounts:password_reset")
    owner.refresh_from_db()
    assert not owner.check_password(NEW)


def test_a_wrong_code_is_refused_and_too_many_end_the_reset(client, owner, settings):
    settings.ACCOUNTS_CODE_MAX_ATTEMPTS = 2
    ask(client, owner.phone)
    right = code_sent_to(owner.phone)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    assert type_code(client, wrong).status_code == 400
    ended = type_code(client, wrong)
    assert ended["Location"] == reverse("accounts:password_reset")
    assert type_code(client, right)["Location"] == reverse("accounts:password_reset")
    owner.refresh_from_db()
    assert owner.check_password("Old-Pass-2026x")


def test_an_expired_reset_code_is_refused(client, owner):
    ask(client, owner.phone)
    PhoneCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = type_code(client, code_sent_to(owner.phone))
    assert response.status_code == 400
    assert "انتهت صلاحية هذا الرمز" in response.content.decode()


def test_a_new_reset_code_too_soon_is_refused(client, owner):
    ask(client, owner.phone)
    response = client.post(reverse("accounts:password_reset_code"), {"resend": "1"})
    page = client.get(response["Location"])
    assert "يمكنك طلب رمز جديد بعد" in page.content.decode()
    assert len(texts_to(owner.phone)) == 1


def test_reset_requests_are_limited_per_client_address(client, owner, fresh_limits):
    fresh_limits.ACCOUNTS_RESET_RATE_IP = "2/h"
    for phone in ("01011110000", "01011110001"):
        assert ask(client, phone).status_code == 302
    response = ask(client, owner.phone)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "طلبات كثيرة" in response.content.decode()
    assert MemoryGateway.outbox == []


def test_the_new_password_follows_the_rules_for_the_account(client, owner):
    ask(client, owner.phone)
    type_code(client, code_sent_to(owner.phone))
    response = choose(client, password="x" + owner.phone)
    assert response.status_code == 400
    assert "مشابهة" in response.content.decode()


def test_a_reset_ends_other_sessions_and_lifts_a_lock_out(client, owner, settings):
    elsewhere = Client()
    elsewhere.force_login(owner)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"), {"username": owner.phone, "password": "bad"}
        )
    locked = client.post(
        reverse("accounts:login"), {"username": owner.phone, "password": "bad"}
    )
    assert locked.status_code == 429
    ask(client, owner.phone)
    type_code(client, code_sent_to(owner.phone))
    choose(client)
    back_in = client.post(
        reverse("accounts:login"), {"username": owner.phone, "password": NEW}
    )
    assert back_in.status_code == 302
    assert elsewhere.get(reverse("home:dashboard")).status_code == 302


def test_login_page_offers_the_reset_by_sms_and_by_email(client):
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert 'name="phone"' in page
    assert reverse("accounts:password_reset_email") in page


def test_without_verification_the_reset_is_by_email(client, settings):
    settings.ACCOUNTS_PHONE_VERIFICATION = False
    response = client.get(reverse("accounts:password_reset"))
    assert response["Location"] == reverse("accounts:password_reset_email")
