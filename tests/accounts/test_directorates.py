"""Directorates: each staff account works for one governorate's labour directorate or
the head office, and `staff_scope` is the boundary other apps scope their work by."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.accounts.data import StaffScope
from lms.accounts.models import Directorate
from lms.accounts.national_id import governorates
from lms.accounts.selectors import directorate_list, directorate_of, staff_scope
from lms.accounts.services import staff_directorate_assign
from lms.kernel.errors import Forbidden, Invalid, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_in(make_user):
    def make(code: str | None, **kwargs):
        user = make_user("ministry_staff", is_staff=True, **kwargs)
        if code:
            staff_directorate_assign(user_id=user.pk, directorate_code=code)
        return user

    return make


def test_the_head_office_and_one_directorate_per_governorate_exist():
    codes = {d.code for d in directorate_list()}
    home = set(governorates()) - {"88"}  # born abroad: no directorate there
    assert codes == home | {"HQ"}
    assert directorate_list()[0].is_head_office
    sharqia = Directorate.objects.get(code="13")
    assert sharqia.governorate_code == "13"
    assert sharqia.name_ar == "مديرية العمل بمحافظة الشرقية"
    assert sharqia.name_en == "Sharqia Labour Directorate"


def test_head_office_staff_see_every_directorate(staff_in):
    scope = staff_scope(user_id=staff_in("HQ").pk)
    assert scope == StaffScope(head_office=True, governorate_codes=frozenset())
    assert scope.covers("13") and scope.covers("01") and scope.covers("")


def test_directorate_staff_see_their_governorate_only(staff_in):
    scope = staff_scope(user_id=staff_in("13").pk)
    assert scope == StaffScope(head_office=False, governorate_codes=frozenset({"13"}))
    assert scope.covers("13")
    assert not scope.covers("01")
    assert not scope.covers("")  # a record without a governorate: head office only
    assert not scope.covers(None)


def test_superusers_see_every_directorate_without_being_assigned(make_user):
    admin = make_user(None, is_staff=True, is_superuser=True)
    assert staff_scope(user_id=admin.pk).head_office


def test_the_scope_costs_one_query(staff_in, django_assert_num_queries):
    user = staff_in("13")
    with django_assert_num_queries(1):
        staff_scope(user_id=user.pk)


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        ("trainee", False),
        ("instructor", False),
        ("assessor", False),
        ("content_editor", True),  # is_staff (the CMS) is not ministry staff
        ("content_reviewer", True),
        (None, True),
    ],
)
def test_everyone_but_ministry_staff_is_refused_a_scope(make_user, role, is_staff):
    user = make_user(role, is_staff=is_staff)
    with pytest.raises(Forbidden) as refused:
        staff_scope(user_id=user.pk)
    assert refused.value.code == "not_staff"
    assert refused.value.status == 403


def test_a_directorate_does_not_make_a_non_staff_account_staff(make_user):
    trainee = make_user("trainee")
    trainee.directorate = Directorate.objects.get(code="HQ")
    trainee.save()
    with pytest.raises(Forbidden):
        staff_scope(user_id=trainee.pk)


@pytest.mark.parametrize("user_id", [None, 0, 987654321])
def test_no_account_no_scope(user_id):
    with pytest.raises(Forbidden) as refused:
        staff_scope(user_id=user_id)
    assert refused.value.code == "not_staff"


def test_a_deactivated_staff_account_is_refused(staff_in):
    user = staff_in("HQ", is_active=False)
    with pytest.raises(Forbidden):
        staff_scope(user_id=user.pk)


def test_staff_not_yet_assigned_are_refused_with_what_to_do(staff_in):
    with pytest.raises(Forbidden) as refused:
        staff_scope(user_id=staff_in(None).pk)
    assert refused.value.code == "no_directorate"
    assert "مسؤول" in refused.value.message  # ask an administrator, in Arabic


def test_the_scope_is_frozen_data(staff_in):
    scope = staff_scope(user_id=staff_in("13").pk)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scope.head_office = True  # type: ignore[misc]


def test_assigning_a_directorate_checks_the_code_and_the_role(staff_in, make_user):
    user = staff_in(None)
    with pytest.raises(NotFound) as unknown:
        staff_directorate_assign(user_id=user.pk, directorate_code="99")
    assert unknown.value.code == "unknown_directorate"
    with pytest.raises(NotFound):
        staff_directorate_assign(user_id=987654321, directorate_code="13")
    with pytest.raises(Invalid) as not_staff:
        staff_directorate_assign(
            user_id=make_user("assessor").pk, directorate_code="13"
        )
    assert not_staff.value.code == "not_staff"
    data = staff_directorate_assign(user_id=user.pk, directorate_code="13")
    assert (data.code, data.is_head_office) == ("13", False)
    assert directorate_of(user_id=user.pk) == data
    staff_directorate_assign(user_id=user.pk, directorate_code="HQ")  # a move
    assert staff_scope(user_id=user.pk).head_office


def test_directorate_names_follow_the_page_language():
    from django.utils import translation

    data = Directorate.objects.get(code="21").as_data()
    with translation.override("ar"):
        assert data.name == "مديرية العمل بمحافظة الجيزة"
    with translation.override("en"):
        assert data.name == "Giza Labour Directorate"


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "HQ2", "is_head_office": True},  # a second head office
        {"code": "X1", "governorate_code": "13"},  # a second Sharqia
        {"code": "X2", "is_head_office": True, "governorate_code": "13"},
        {"code": "X3"},  # neither a head office nor a governorate
    ],
)
def test_the_database_refuses_an_inconsistent_directorate(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Directorate.objects.create(name_ar="س", name_en="x", **fields)


def test_admins_place_staff_in_a_directorate_and_cannot_add_or_delete_one(
    client, make_user, staff_in
):
    admin = make_user(None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    staff = staff_in("13")
    page = client.get(reverse("admin:accounts_user_change", args=[staff.pk]))
    assert page.status_code == 200
    assert 'name="directorate"' in page.content.decode()
    users = client.get(reverse("admin:accounts_user_changelist"), {"directorate": 1})
    assert users.status_code == 200
    directorates = client.get(reverse("admin:accounts_directorate_changelist"))
    assert directorates.status_code == 200
    assert client.get(reverse("admin:accounts_directorate_add")).status_code == 403
    hq = Directorate.objects.get(code="HQ")
    delete = reverse("admin:accounts_directorate_delete", args=[hq.pk])
    assert client.get(delete).status_code == 403


def test_demo_staff_work_in_the_head_office_and_in_sharqia():
    from django.contrib.auth import get_user_model

    from lms.home.seeding import seed_users

    seed_users(io.StringIO())
    seed_users(io.StringIO())  # idempotent
    users = {u.username: u for u in get_user_model().objects.all()}
    assert staff_scope(user_id=users["staff"].pk).head_office
    assert staff_scope(user_id=users["admin"].pk).head_office
    assert staff_scope(user_id=users["staff2"].pk).governorate_codes == {"13"}
    # Karim's pending demo certificate (ID from Sharqia) is staff2's to approve
    assert users["01000000002"].governorate_code == "13"
    for username in ("instructor", "editor", "reviewer", "assessor", "01000000001"):
        assert users[username].directorate is None
