"""The kept trainee dashboard (issue 19) and certificates: one issued, revoked,
recorded under a national ID whose claim is then verified, issued by an import
batch, or its occupation renamed, shows at once."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.utils import translation

from lms.accounts.models import NationalIdClaim
from lms.accounts.services import national_id_claim_verify, user_register_trainee
from registry.importer import import_file
from registry.models import Occupation
from registry.selectors import certificate_list_for_user
from registry.services import certificate_approve, import_batch_approve
from tests.factories import make_national_id
from tests.home.kept_pages import fresh, kept, signed_in

pytestmark = pytest.mark.django_db
BORN = dt.date(1980, 5, 17)
NAME = "سعاد محمود"


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 300


def verified_account(national_id: str, staff):
    user = user_register_trainee(
        national_id=national_id, full_name_ar=NAME, phone="01012345678",
        password="Kh!yata-2026x",
    )  # fmt: skip
    claim = NationalIdClaim.objects.get(user=user)
    national_id_claim_verify(claim_id=claim.pk, staff_id=staff.pk)
    return user


def test_a_certificate_issued_shows_at_once(trainee, make_pending, second_staff):
    pending = make_pending(user_id=trainee.pk)
    client = signed_in(trainee)
    assert pending.serial_display not in kept(client)  # pending: shown nowhere
    certificate_approve(certificate_id=pending.id, approver_id=second_staff.pk)
    assert pending.serial_display in fresh(client)


def test_a_certificate_revoked_shows_so(trainee, make_issued, revoke):
    cert = make_issued(user_id=trainee.pk)
    with translation.override("ar"):
        revoked = translation.gettext("Revoked")
    client = signed_in(trainee)
    page = kept(client)
    assert cert.serial_display in page and revoked not in page
    revoke(cert)
    assert revoked in fresh(client)


def test_a_claim_verified_shows_the_certificates_under_the_id(
    make_issued, ministry_staff
):
    nid = make_national_id(birth_date=BORN)
    imported = make_issued(national_id=nid, user_id=None, source="paper_import")
    user = user_register_trainee(
        national_id=nid, full_name_ar=NAME, phone="01012345678",
        password="Kh!yata-2026x",
    )  # fmt: skip
    client = signed_in(user)
    assert imported.serial_display not in kept(client)
    claim = NationalIdClaim.objects.get(user=user)
    national_id_claim_verify(claim_id=claim.pk, staff_id=ministry_staff.pk)
    assert imported.serial_display in fresh(client)


def test_a_certificate_under_a_verified_id_shows_to_its_account(
    make_issued, ministry_staff
):
    """Issued one by one, to no account but under the ID the account proved."""
    nid = make_national_id(birth_date=BORN)
    user = verified_account(nid, ministry_staff)
    client = signed_in(user)
    kept(client)
    cert = make_issued(national_id=nid, user_id=None, source="paper_import")
    assert cert.serial_display in fresh(client)


def test_an_import_batch_approved_shows_at_once(tmp_path, ministry_staff, second_staff):
    nid = make_national_id(birth_date=BORN, governorate="01")
    user = verified_account(nid, ministry_staff)
    path = tmp_path / "paper.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["national_id", "full_name_ar", "full_name_en", "occupation_code",
             "skill_level", "issue_date", "governorate_code", "legacy_number"]
        )  # fmt: skip
        writer.writerow([nid, NAME, "", "7531", "skilled", "2015-03-01", "", ""])
    result = import_file(path, actor_id=ministry_staff.pk)
    client = signed_in(user)
    kept(client)
    done = import_batch_approve(
        batch_id=result.import_batch_id, reviewer_id=second_staff.pk
    )
    assert done.issued == 1
    (issued,) = certificate_list_for_user(user_id=user.pk)
    assert issued.status == "issued" and issued.serial_display in fresh(client)


def test_an_occupation_renamed_shows_everywhere(trainee, make_issued):
    cert = make_issued(user_id=trainee.pk, occupation_code="7531")
    client = signed_in(trainee)
    kept(client)
    occupation = Occupation.objects.get(code="7531")
    occupation.title_ar = "خياط ملابس جاهزة"
    occupation.save()
    assert "خياط ملابس جاهزة" in fresh(client)
    assert cert.serial_display in kept(client)
