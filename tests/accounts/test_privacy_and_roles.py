"""Masking, role groups, phone numbers and logs: the national ID stays private."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from lms.accounts.logging import MaskNationalIdFilter
from lms.accounts.phone import normalize_phone
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import national_id_for_viewer

pytestmark = pytest.mark.django_db


def test_migration_creates_one_group_per_role():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


def test_user_has_role_follows_group_membership(trainee, assessor):
    assert user_has_role(trainee, Role.TRAINEE)
    assert not user_has_role(trainee, Role.MINISTRY_STAFF)
    assert user_has_role(assessor, Role.ASSESSOR)


@pytest.mark.parametrize(
    ("viewer_role", "shows_full"),
    [
        ("ministry_staff", True),
        ("trainee", False),
        ("instructor", False),
        ("assessor", False),
        ("content_editor", False),
    ],
)
def test_national_id_is_masked_for_every_role_but_ministry_staff(
    make_user, viewer_role, shows_full
):
    holder = make_user("trainee", national_id="29001010112345")
    viewer = make_user(viewer_role)
    shown = national_id_for_viewer(national_id=holder.national_id, viewer=viewer)
    assert (shown == "29001010112345") is shows_full
    if not shows_full:  # last four digits: no birth date, no governorate
        assert shown == "**********2345"


def test_template_tag_masks_and_isolates_left_to_right(make_user):
    holder = make_user("trainee", national_id="29001010112345")
    request = RequestFactory().get("/")
    request.user = make_user("instructor")
    html = Template("{% load accounts %}{% national_id nid %}").render(
        Context({"nid": holder.national_id, "request": request})
    )
    assert html == '<bdi dir="ltr">**********2345</bdi>'


def test_anonymous_viewer_sees_the_masked_id():
    from django.contrib.auth.models import AnonymousUser

    shown = national_id_for_viewer(national_id="29001010112345", viewer=AnonymousUser())
    assert shown == "**********2345"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01012345678", "01012345678"),
        ("+20 101 234 5678", "01012345678"),
        ("00201112345678", "01112345678"),
        ("٠١٢٢٣٤٥٦٧٨٩", "01223456789"),
        ("015-5555-1234", "01555551234"),
    ],
)
def test_egyptian_mobiles_are_normalised(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["0223456789", "01312345678", "0101234567", "", "abc"]
)
def test_non_mobiles_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_log_lines_never_carry_a_national_id():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "signup for %s failed",
        ("29001010112345",),
        None,
    )
    MaskNationalIdFilter().filter(record)
    assert record.getMessage() == "signup for 2900101******5 failed"


def test_a_server_access_line_keeps_its_arguments_and_loses_the_id():
    """uvicorn's access formatter unpacks record.args: they must stay a 5-tuple."""
    from urllib.parse import quote

    eastern = quote("٢٩٠٠١٠١٠١١٢٣٤٥")
    for query in ("serial=29001010112345", f"q={eastern}"):
        args = ("127.0.0.1:5000", "GET", f"/verify/?{query}", "1.1", 200)
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            args,
            None,
        )
        MaskNationalIdFilter().filter(record)
        assert len(record.args) == 5 and record.args[4] == 200
        assert "0112345" not in record.getMessage()
        assert "2900101******5" in record.getMessage()
