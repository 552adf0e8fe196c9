"""Sign-up, log-in, lock-out and password reset as a trainee meets them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.sms_steps import sign_up
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

GOOD = {
    "full_name_ar": "منى أحمد السيد",
    "full_name_en": "",
    "national_id": "٢٩٠٠١٠١٠١١٢٣٤٥",
    "phone": "٠١٠١٢٣٤٥٦٧٨",
    "email": "",
    "password1": "Kh!yata-2026x",
    "password2": "Kh!yata-2026x",
}


def post_signup(client, **changes):
    return sign_up(client, {**GOOD, **changes})


def test_signup_with_eastern_arabic_digits_creates_a_trainee(client):
    response = post_signup(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.national_id == "29001010112345"
    assert user.phone == user.username == "01012345678"
    assert user.gender == "female" and user.governorate_code == "01"
    assert list(user.groups.values_list("name", flat=True)) == ["trainee"]
    assert user.password.startswith("md5$")  # tests' fast hasher; production: argon2


def test_signup_with_bad_national_id_explains_and_saves_nothing(client):
    response = post_signup(client, national_id="29013010112345")
    assert response.status_code == 400
    assert (
        "birth date" in response.content.decode()
        or "تاريخ" in response.content.decode()
    )
    assert not User.objects.exists()


def test_signup_error_is_in_arabic_by_default(client):
    response = post_signup(client, national_id="123")
    html = response.content.decode()
    assert "يجب أن يتكون الرقم القومي من 14 رقمًا بالضبط" in html
    assert not User.objects.exists()


def test_signup_with_a_national_id_already_claimed_answers_the_same(client):
    """The ID is not refused (the real holder may be the second one): both claims
    are contested, and the answer does not tell which case it was."""
    first = post_signup(client, phone="01099999999")
    client.logout()
    second = post_signup(client)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert User.objects.filter(national_id="29001010112345").count() == 2
    states = set(
        User.objects.values_list("national_id_claim__state", flat=True).distinct()
    )
    assert states == {"contested"}


def test_signup_refuses_a_landline_number(client):
    response = post_signup(client, phone="0223456789")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_signup_refuses_mismatched_passwords(client):
    response = post_signup(client, password2="something-else-2026")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_signup_page_never_puts_the_national_id_in_a_url(client):
    response = post_signup(client)
    assert "29001010112345" not in response["Location"]


def test_login_with_mobile_number_in_eastern_digits(client):
    UserFactory(username="01012345678", phone="01012345678", password="pass-Word-123")
    response = client.post(
        reverse("accounts:login"),
        {"username": "٠١٠١٢٣٤٥٦٧٨", "password": "pass-Word-123"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home:dashboard")


def test_repeated_failures_lock_the_account_with_a_clear_message(client, settings):
    UserFactory(username="01012345678", phone="01012345678", password="pass-Word-123")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "01012345678", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "01012345678", "password": "wrong"})
    assert response.status_code == 429
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    # even the right password is refused while locked
    response = client.post(
        url, {"username": "01012345678", "password": "pass-Word-123"}
    )
    assert response.status_code == 429


def test_password_reset_sends_a_link_by_email(client):
    UserFactory(email="mona@example.com")
    response = client.post(
        reverse("accounts:password_reset_email"), {"email": "mona@example.com"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/reset/" in mail.outbox[0].body


def test_logout_needs_post_and_ends_the_session(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("home:dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("home:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
