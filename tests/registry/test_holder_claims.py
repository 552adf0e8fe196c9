"""Certificates recorded under a national ID before the account existed (paper
imports, other centres) are the account's only once its claim to the ID is verified;
what the account earned itself is always its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lms.accounts.models import NationalIdClaim
from lms.accounts.services import (
    national_id_claim_verify,
    staff_directorate_assign,
    user_register_trainee,
)
from lms.kernel.errors import NotFound
from registry.selectors import certificate_get_for_viewer, certificate_list_for_user
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db


def register(national_id: str, phone: str):
    return user_register_trainee(
        national_id=national_id,
        full_name_ar="شخص آخر",
        phone=phone,
        password="Kh!yata-2026x",
    )


@pytest.fixture
def head_office(make_user):
    staff = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=staff.pk, directorate_code="HQ")
    return staff


@pytest.fixture
def imported(make_issued):
    """A paper-era record of a holder who has no account yet."""
    nid = make_national_id()
    return make_issued(national_id=nid, user_id=None, source="paper_import")


def urls(cert):
    return [
        reverse("registry:certificate_pdf", args=[cert.serial_display]),
        reverse("registry:certificate_credential", args=[cert.serial_display]),
    ]


def test_signing_up_with_someones_id_shows_none_of_their_certificates(client, imported):
    squatter = register(imported.national_id, "01012345678")
    client.force_login(squatter)
    page = client.get(reverse("registry:holder_certificates")).content.decode()
    assert imported.serial_display not in page
    assert reverse("accounts:identity") in page  # how to verify instead
    for url in urls(imported):
        assert client.get(url).status_code == 404
    dashboard = client.get(reverse("home:dashboard")).content.decode()
    assert imported.serial_display not in dashboard
    assert certificate_list_for_user(user_id=squatter.pk) == []


def test_a_verified_claim_shows_and_downloads_them(client, imported, head_office):
    holder = register(imported.national_id, "01012345678")
    claim = NationalIdClaim.objects.get(user=holder)
    national_id_claim_verify(claim_id=claim.pk, staff_id=head_office.pk)
    client.force_login(holder)
    page = client.get(reverse("registry:holder_certificates")).content.decode()
    assert imported.serial_display in page
    pdf, credential = (client.get(url) for url in urls(imported))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert credential.status_code == 200


def test_while_contested_neither_account_sees_them(client, imported, head_office):
    first = register(imported.national_id, "01011111111")
    second = register(imported.national_id, "01022222222")
    for account in (first, second):
        client.force_login(account)
        page = client.get(reverse("registry:holder_certificates")).content.decode()
        assert imported.serial_display not in page
        assert all(client.get(url).status_code == 404 for url in urls(imported))


def test_the_rejected_side_of_a_contest_loses_them(imported, head_office):
    squatter = register(imported.national_id, "01011111111")
    holder = register(imported.national_id, "01022222222")
    claim = NationalIdClaim.objects.get(user=holder)
    national_id_claim_verify(claim_id=claim.pk, staff_id=head_office.pk)
    assert [c.serial for c in certificate_list_for_user(user_id=holder.pk)] == [
        imported.serial
    ]
    assert certificate_list_for_user(user_id=squatter.pk) == []
    with pytest.raises(NotFound) as hidden:  # as if it did not exist
        certificate_get_for_viewer(serial=imported.serial, viewer_id=squatter.pk)
    assert hidden.value.code == "not_found"


def test_certificates_earned_through_the_account_need_no_verification(
    client, make_issued
):
    trainee = register(make_national_id(), "01012345678")
    own = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    client.force_login(trainee)
    page = client.get(reverse("registry:holder_certificates")).content.decode()
    assert own.serial_display in page
    assert all(client.get(url).status_code == 200 for url in urls(own))


def test_the_registry_api_gives_a_trainee_session_nothing_either(client, imported):
    """The API is for ministry staff and other systems' tokens: a squatter's session
    cannot look the holder up there instead."""
    squatter = register(imported.national_id, "01012345678")
    client.force_login(squatter)
    lookup = client.post(
        "/api/v1/registry/certificates/lookup/",
        {"national_id": imported.national_id},
        content_type="application/json",
    )
    detail = client.get(f"/api/v1/registry/certificates/{imported.serial_display}/")
    listing = client.get("/api/v1/registry/certificates/")
    assert (lookup.status_code, detail.status_code, listing.status_code) == (
        403,
        403,
        403,
    )
    assert imported.full_name_ar not in lookup.content.decode()
