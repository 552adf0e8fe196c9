"""The password rules speak the page's language and know the account being made."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.accounts.test_phone_signup import form

pytestmark = pytest.mark.django_db
ARABIC = re.compile("[\u0600-\u06ff]")


def errors_of(response) -> list[str]:
    return re.findall(
        r'<p class="error" role="alert">(.*?)</p>', response.content.decode()
    )


def test_a_short_password_is_refused_in_arabic(client):
    response = client.post(
        reverse("accounts:signup"), form(password1="Ab1!x", password2="Ab1!x")
    )
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors and all(ARABIC.search(error) for error in errors), errors
    assert any("قصيرة جدًا" in error for error in errors)


def test_every_password_rule_refuses_and_explains_in_arabic():
    from lms.accounts.models import User

    account = User(username="01012345678", phone="01012345678", first_name="منى")
    with translation.override("ar"):
        for validator in password_validation.get_default_password_validators():
            assert ARABIC.search(validator.get_help_text()), validator
        for password in ("12", "password", "01012345678", "0101234567"):
            with pytest.raises(ValidationError) as refused:
                password_validation.validate_password(password, user=account)
            for message in refused.value.messages:
                assert ARABIC.search(message), message


def test_the_english_page_gets_english_rules(client):
    response = client.post(
        "/en" + reverse("accounts:signup"), form(password1="Ab1!x", password2="Ab1!x")
    )
    assert any("too short" in error for error in errors_of(response))


def test_a_password_like_the_mobile_number_is_refused_at_sign_up(client):
    data = form()
    password = "x" + data["phone"]
    response = client.post(
        reverse("accounts:signup"),
        {**data, "password1": password, "password2": password},
    )
    assert response.status_code == 400
    assert any("مشابهة" in error for error in errors_of(response)), errors_of(response)
