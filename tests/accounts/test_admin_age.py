"""Accounts made or edited by staff in the Django admin follow sign-up's rules: no one
under MINIMUM_AGE_YEARS (by the national ID's birth date), and a malformed ID is a
form error, not a server error (#20)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lms.accounts.models import User
from tests.factories import UserFactory, make_national_id

pytestmark = pytest.mark.django_db


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


def _change(admin_client, user: User, **fields):
    data = {
        "username": user.username,
        "full_name_ar": user.full_name_ar,
        "full_name_en": user.full_name_en,
        "phone": user.phone or "",
        "email": user.email,
        "national_id": user.national_id or "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(fields)
    return admin_client.post(f"/django-admin/accounts/user/{user.pk}/change/", data)


@pytest.fixture
def account():
    return UserFactory(national_id=None)


def test_the_admin_refuses_a_national_id_under_the_minimum_age(admin_client, account):
    child = make_national_id(birth_date=_years_ago(10))
    response = _change(admin_client, account, national_id=child)
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert "national_id" in errors and "15" in str(errors["national_id"])
    account.refresh_from_db()
    assert account.national_id is None


def test_the_admin_takes_a_national_id_of_the_minimum_age(admin_client, account):
    adult = make_national_id(birth_date=_years_ago(15, days=-1))
    response = _change(admin_client, account, national_id=adult)
    assert response.status_code == 302, response.context["adminform"].form.errors
    account.refresh_from_db()
    assert account.national_id == adult


def test_a_malformed_national_id_is_a_form_error_not_a_crash(admin_client, account):
    response = _change(admin_client, account, national_id="123")
    assert response.status_code == 200
    assert "national_id" in response.context["adminform"].form.errors


def test_other_edits_of_an_existing_account_are_not_re_judged(admin_client, settings):
    """An account saved before the rule (or the setting raised since) keeps working."""
    young = UserFactory(national_id=make_national_id(birth_date=_years_ago(14)))
    settings.MINIMUM_AGE_YEARS = 15
    response = _change(admin_client, young, full_name_en="New Name")
    assert response.status_code == 302, response.context["adminform"].form.errors
    young.refresh_from_db()
    assert young.full_name_en == "New Name"
