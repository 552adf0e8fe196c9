"""Skill-test fixtures: verified workers, staff by directorate, assessors, sessions
and applications at each step of the path."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.accounts.services import (
    national_id_claim_open,
    national_id_claim_verify,
    staff_directorate_assign,
)
from skilltests import services
from skilltests.services import Upload
from tests.factories import make_national_id

SHARQIA = "13"
CAIRO = "01"
_phones = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_file(name: str = "work.png", size=(40, 30)) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "#0b5d4b").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def letter() -> list[Upload]:
    return [Upload(kind="experience_letter", file=pdf_file())]


@pytest.fixture
def staff_in(make_user):
    """`staff_in("13")`: ministry staff placed in that directorate ("HQ": head
    office)."""

    def make(directorate: str):
        staff = make_user("ministry_staff", is_staff=True)
        staff_directorate_assign(user_id=staff.pk, directorate_code=directorate)
        staff.refresh_from_db()
        return staff

    return make


@pytest.fixture
def head_office(staff_in):
    return staff_in("HQ")


@pytest.fixture
def sharqia_staff(staff_in):
    return staff_in(SHARQIA)


@pytest.fixture
def cairo_staff(staff_in):
    return staff_in(CAIRO)


@pytest.fixture
def worker(make_user, head_office):
    """`worker()`: a worker whose national ID claim head office verified (born in
    Sharqia unless told)."""

    def make(*, verified: bool = True, governorate: str = SHARQIA, **kwargs):
        user = make_user(
            "trainee",
            national_id=make_national_id(governorate=governorate),
            **kwargs,
        )
        claim = national_id_claim_open(user=user)
        if verified:
            national_id_claim_verify(claim_id=claim.id, staff_id=head_office.pk)
        return user

    return make


@pytest.fixture
def applicant(worker):
    return worker()


@pytest.fixture
def assessors(make_user):
    return [make_user("assessor"), make_user("assessor")]


@pytest.fixture
def submit():
    """`submit(user, ...)`: a submitted application (7531, skilled, Sharqia)."""

    def make(user, **overrides):
        values = {
            "applicant_id": user.pk,
            "occupation_code": "7531",
            "level_code": "skilled",
            "governorate_code": SHARQIA,
            "experience_years": 6,
            "experience_summary": "ترزي في ورشة بالزقازيق",
            "documents": letter(),
        }
        values.update(overrides)
        return services.application_submit(**values)

    return make


@pytest.fixture
def accepted(submit, sharqia_staff):
    """`accepted(user, ...)`: submitted, then accepted by Sharqia's staff."""

    def make(user, **overrides):
        application = submit(user, **overrides)
        return services.application_accept(
            reference=application.reference, staff_id=sharqia_staff.pk
        )

    return make


@pytest.fixture
def publish(sharqia_staff, assessors):
    """`publish(...)`: a published session (Zagazig's garment workshop, 7531
    skilled, in a week unless told)."""

    def make(*, staff=None, **overrides):
        values = {
            "staff_id": (staff or sharqia_staff).pk,
            "centre_code": "13-zagazig",
            "workshop_code": "tailoring",
            "occupation_code": "7531",
            "level_code": "skilled",
            "starts_at": timezone.now() + dt.timedelta(days=7),
            "duration_min": 240,
            "seats": 12,
            "assessor_ids": [a.pk for a in assessors],
        }
        values.update(overrides)
        return services.session_publish(**values)

    return make


@pytest.fixture
def booked(accepted, publish):
    """`booked(user)`: accepted and booked into a fresh session; (application,
    session)."""

    def make(user, session=None, **overrides):
        session = session or publish()
        application = accepted(user, **overrides)
        application = services.booking_create(
            reference=application.reference, applicant_id=user.pk, session_id=session.id
        )
        return application, session

    return make


def move_session(session_id: int, starts_at: dt.datetime) -> None:
    """Put a session at another time (tests reach windows the form refuses)."""
    from skilltests.models import TestSession

    TestSession.objects.filter(pk=session_id).update(starts_at=starts_at)
