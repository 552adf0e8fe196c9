"""Sign-up proves the mobile number with a code sent by SMS; the account exists only
once the code is typed right, and nothing on the way tells who is registered."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import PhoneCode
from lms.kernel.models import Notification
from lms.kernel.notifications.gateways import MemoryGateway
from tests.accounts.sms_steps import code_sent_to, sign_up, texts_to
from tests.factories import UserFactory, make_national_id

User = get_user_model()
pytestmark = pytest.mark.django_db
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_phones = itertools.count(20_000_000)


def form(**changes):
    return {
        "full_name_ar": "منى أحمد السيد",
        "national_id": make_national_id(),
        "phone": f"010{next(_phones):08d}",
        "password1": "Kh!yata-2026x",
        "password2": "Kh!yata-2026x",
        **changes,
    }


def start(client, data):
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_code")
    return response


def type_code(client, code):
    return client.post(reverse("accounts:signup_code"), {"code": code})


def visible(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"010\d{8}", "<phone>", html)


def test_the_account_is_made_only_once_the_code_from_the_sms_is_typed(client):
    data = form()
    start(client, data)
    assert not User.objects.filter(phone=data["phone"]).exists()
    page = client.get(reverse("accounts:signup_code"))
    assert data["phone"] in page.content.decode()
    assert "أرسلنا رمزًا" in page.content.decode()
    response = type_code(client, code_sent_to(data["phone"]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "home:dashboard"
    )
    user = User.objects.get(phone=data["phone"])
    assert user.check_password(data["password1"])
    assert client.get(reverse("home:dashboard")).status_code == 200


def test_the_code_may_be_typed_in_eastern_arabic_digits(client):
    data = form(phone=f"010{next(_phones):08d}".translate(EASTERN))
    start(client, data)
    phone = data["phone"].translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    response = type_code(client, " ".join(code_sent_to(phone).translate(EASTERN)))
    assert response.status_code == 302
    assert User.objects.filter(phone=phone).exists()


def test_the_code_is_kept_only_as_a_keyed_hash_and_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    data = form()
    start(client, data)
    code = code_sent_to(data["phone"])
    row = PhoneCode.objects.get(phone=data["phone"])
    stored = " ".join(str(v) for v in row.__dict__.values())
    assert code not in stored and len(row.code_hash) == 64
    assert code not in str(dict(client.session.items()))
    assert data["password1"] not in str(dict(client.session.items()))
    type_code(client, code)
    assert all(code not in record.getMessage() for record in caplog.records)


def test_a_wrong_code_is_refused_and_says_how_many_tries_are_left(client, settings):
    data = form()
    start(client, data)
    right = code_sent_to(data["phone"])
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = type_code(client, wrong)
    assert response.status_code == 400
    text = response.content.decode()
    assert "ليس الرمز الذي أرسلناه" in text
    assert str(settings.ACCOUNTS_CODE_MAX_ATTEMPTS - 1) in text
    assert not User.objects.filter(phone=data["phone"]).exists()


def test_a_code_that_is_not_six_digits_is_refused_without_using_a_try(client):
    data = form()
    start(client, data)
    response = type_code(client, "12ab")
    assert response.status_code == 400
    assert "6" in response.content.decode()
    assert PhoneCode.objects.get(phone=data["phone"]).attempts == 0


def test_an_expired_code_is_refused(client):
    data = form()
    start(client, data)
    PhoneCode.objects.filter(phone=data["phone"]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = type_code(client, code_sent_to(data["phone"]))
    assert response.status_code == 400
    assert "انتهت صلاحية هذا الرمز" in response.content.decode()
    assert not User.objects.filter(phone=data["phone"]).exists()


def test_too_many_wrong_codes_end_the_sign_up_even_for_the_right_code(client, settings):
    settings.ACCOUNTS_CODE_MAX_ATTEMPTS = 3
    data = form()
    start(client, data)
    right = code_sent_to(data["phone"])
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(2):
        assert type_code(client, wrong).status_code == 400
    last = type_code(client, wrong)
    assert last.status_code == 302 and last["Location"] == reverse("accounts:signup")
    page = client.get(last["Location"])
    assert "رموز خاطئة كثيرة" in page.content.decode()
    # what was typed comes back once (not the passwords), for a new try
    assert data["national_id"] in page.content.decode()
    assert data["password1"] not in page.content.decode()
    assert type_code(client, right).status_code == 302  # back to the form
    assert not User.objects.filter(phone=data["phone"]).exists()


def test_a_new_code_too_soon_is_refused(client):
    data = form()
    start(client, data)
    response = client.post(reverse("accounts:signup_code"), {"resend": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "يمكنك طلب رمز جديد بعد" in page.content.decode()
    assert len(texts_to(data["phone"])) == 1


def _let_resend(phone):
    PhoneCode.objects.filter(phone=phone).update(
        sent_at=timezone.now() - dt.timedelta(minutes=5)
    )


def test_a_new_code_replaces_the_old_one_after_the_wait(client):
    data = form()
    start(client, data)
    old = code_sent_to(data["phone"])
    _let_resend(data["phone"])
    client.post(reverse("accounts:signup_code"), {"resend": "1"})
    assert len(texts_to(data["phone"])) == 2
    new = code_sent_to(data["phone"])
    if new != old:
        assert type_code(client, old).status_code == 400
    assert type_code(client, new).status_code == 302
    assert User.objects.filter(phone=data["phone"]).exists()


def test_new_codes_are_limited_per_sign_up(client, settings):
    settings.ACCOUNTS_CODE_MAX_SENDS = 2
    data = form()
    start(client, data)
    _let_resend(data["phone"])
    client.post(reverse("accounts:signup_code"), {"resend": "1"})
    _let_resend(data["phone"])
    response = client.post(reverse("accounts:signup_code"), {"resend": "1"})
    assert response["Location"] == reverse("accounts:signup")
    assert len(texts_to(data["phone"])) == 2


def test_sms_to_one_number_are_limited_from_any_address(client, fresh_limits):
    fresh_limits.ACCOUNTS_SMS_RATE_PHONE = "2/h"
    phone = f"010{next(_phones):08d}"
    for n in range(2):
        client.post(
            reverse("accounts:signup"), form(phone=phone), REMOTE_ADDR=f"10.2.0.{n}"
        )
    response = client.post(
        reverse("accounts:signup"), form(phone=phone), REMOTE_ADDR="10.2.0.9"
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "رموز كثيرة" in response.content.decode()
    assert len(texts_to(phone)) == 2


def test_a_registered_number_gets_the_same_pages_and_its_owner_is_told(client):
    owner = UserFactory(username="01033334444", phone="01033334444")
    fresh = form()
    start(client, fresh)
    fresh_page = client.get(reverse("accounts:signup_code"))
    client = Client()
    again = form(phone="٠١٠٣٣٣٣٤٤٤٤")
    start(client, again)
    again_page = client.get(reverse("accounts:signup_code"))
    assert fresh_page.status_code == again_page.status_code == 200
    assert visible(fresh_page) == visible(again_page)
    (notice,) = texts_to(owner.phone)
    assert "/accounts/password-reset/" in notice
    assert not re.search(r"\d{6}", notice.replace("01033334444", ""))
    # no code can open it: a guess is refused like any wrong code
    response = type_code(client, "000000")
    assert response.status_code == 400
    assert "ليس الرمز الذي أرسلناه" in response.content.decode()
    assert User.objects.filter(phone=owner.phone).count() == 1


def test_a_registered_national_id_is_not_revealed_and_its_holder_is_told(client):
    holder = UserFactory(national_id=make_national_id(), phone="01055556666")
    from lms.accounts.services import national_id_claim_open

    national_id_claim_open(user=holder)
    response = sign_up(client, form(national_id=holder.national_id))
    assert response.status_code == 302
    assert response["Location"] == reverse("home:dashboard")
    told = Notification.objects.get(user=holder, kind="national_id_claimed_again")
    assert told.channel == "sms" and "مديرية العمل" in told.text
    newcomer = User.objects.exclude(pk=holder.pk).get(national_id=holder.national_id)
    assert not Notification.objects.filter(user=newcomer).exists()


def _years_ago(years: int, today: dt.date) -> dt.date:
    """The same day `years` ago (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@pytest.mark.parametrize(
    ("age", "allowed"),
    [
        (dt.timedelta(days=335), False),  # 11 months
        ("15 tomorrow", False),
        ("15 today", True),
    ],
)
def test_the_minimum_age_is_read_from_the_national_id(client, age, allowed):
    today = timezone.localdate()
    if age == "15 today":
        born = _years_ago(15, today)
    elif age == "15 tomorrow":
        born = _years_ago(15, today) + dt.timedelta(days=1)
    else:
        born = today - age
    response = client.post(
        reverse("accounts:signup"), form(national_id=make_national_id(birth_date=born))
    )
    if allowed:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert "يجب أن يكون عمرك 15 سنة على الأقل" in response.content.decode()
    assert not PhoneCode.objects.exists() and MemoryGateway.outbox == []


def test_the_minimum_age_is_a_setting(client, settings):
    settings.MINIMUM_AGE_YEARS = 18
    today = timezone.localdate()
    born = _years_ago(17, today)
    response = client.post(
        reverse("accounts:signup"), form(national_id=make_national_id(birth_date=born))
    )
    assert response.status_code == 400
    assert "18" in response.content.decode()


def test_the_service_refuses_an_under_age_account_too():
    from django.core.exceptions import ValidationError

    from lms.accounts.services import user_register_trainee

    born = timezone.localdate() - dt.timedelta(days=3000)
    with pytest.raises(ValidationError) as refused:
        user_register_trainee(
            national_id=make_national_id(birth_date=born),
            full_name_ar="طفل",
            phone="01077778888",
            password="Kh!yata-2026x",
        )
    assert refused.value.code == "under_age"
    assert not User.objects.filter(phone="01077778888").exists()


def test_the_code_step_without_a_sign_up_goes_back_to_the_form(client):
    response = client.get(reverse("accounts:signup_code"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup")


def test_without_verification_the_form_makes_the_account_at_once(client, settings):
    settings.ACCOUNTS_PHONE_VERIFICATION = False
    data = form()
    response = client.post(reverse("accounts:signup"), data)
    assert response["Location"] == reverse("home:dashboard")
    assert User.objects.filter(phone=data["phone"]).exists()
    assert MemoryGateway.outbox == []


def test_the_code_goes_straight_to_the_sms_gateway_not_through_the_outbox(
    client, settings
):
    """No worker between the form and the SMS: Twilio's API has the message when
    the answer is done, and the outbox (which keeps texts) holds no code."""
    from tests.kernel.fake_sms_gateway import FakeTwilio

    with FakeTwilio() as gateway:
        settings.SMS_BACKEND = "twilio"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_ACCOUNT_SID = gateway.account_sid
        settings.SMS_AUTH_TOKEN = gateway.auth_token
        settings.SMS_FROM = gateway.sender
        data = form()
        start(client, data)
        (message,) = gateway.messages
    assert message["to"] == "+2" + data["phone"]
    code = re.search(r"\d{6}", message["body"]).group()
    assert not Notification.objects.filter(text__contains=code).exists()


def test_production_without_an_sms_gateway_is_told_at_start_up(settings):
    from lms.accounts.apps import phone_verification_check

    settings.DEBUG = False
    settings.SMS_BACKEND = ""
    settings.ACCOUNTS_PHONE_VERIFICATION = False
    (warning,) = phone_verification_check()
    assert warning.id == "accounts.W001"
    settings.ACCOUNTS_PHONE_VERIFICATION = True
    (error,) = phone_verification_check()
    assert error.id == "accounts.E001" and error.is_serious()
    settings.SMS_BACKEND = "twilio"
    assert phone_verification_check() == []
