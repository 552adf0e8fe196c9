import pytest

from lms.kernel.errors import Conflict, Forbidden, Invalid
from registry.models import AuditEntry, Certificate
from registry.selectors import certificate_list_for_holder, verification_answer
from registry.services import certificate_approve
from tests.factories import make_national_id
from tests.registry.helpers import revoke_by_two as certificate_revoke


def test_create_pending_derives_holder_details_from_national_id(make_pending):
    nid = make_national_id(gender="female", governorate="21")
    cert = make_pending(national_id=nid)
    row = Certificate.objects.get(pk=cert.id)
    assert cert.status == "pending"
    assert row.gender == "female"
    assert row.governorate_code == "21"
    assert row.birth_date.strftime("%y%m%d") == nid[1:7]


def test_same_idempotency_key_returns_the_same_certificate(make_pending):
    first = make_pending(idempotency_key="attempt:42")
    again = make_pending(idempotency_key="attempt:42")
    assert again.id == first.id and again.serial == first.serial
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="certificate.create_pending").count() == 1


def test_create_pending_accepts_eastern_arabic_digits(make_pending):
    nid = make_national_id()
    eastern = nid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    cert = make_pending(national_id=eastern)
    assert cert.national_id == nid


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("national_id", "12345"),
        ("occupation_code", "9999"),
        ("level_code", "grandmaster"),
        ("full_name_ar", "  "),
        ("source", "rumour"),
        ("idempotency_key", ""),
    ],
)
def test_create_pending_refuses_bad_input(make_pending, field, value):
    with pytest.raises(Invalid):
        make_pending(**{field: value})
    assert Certificate.objects.count() == 0


def test_another_staff_member_approves_and_issues(make_pending, second_staff):
    pending = make_pending()
    issued = certificate_approve(certificate_id=pending.id, approver_id=second_staff.pk)
    assert issued.status == "issued"
    assert issued.issue_date is not None


def test_creator_cannot_approve_own_certificate(make_pending, ministry_staff):
    pending = make_pending(created_by_id=ministry_staff.pk)
    with pytest.raises(Forbidden) as err:
        certificate_approve(certificate_id=pending.id, approver_id=ministry_staff.pk)
    assert err.value.code == "same_person"
    assert Certificate.objects.get(pk=pending.id).status == "pending"


@pytest.mark.parametrize("role", ["trainee", "assessor", "instructor"])
def test_non_staff_cannot_approve(make_pending, make_user, role):
    pending = make_pending()
    with pytest.raises(Forbidden):
        certificate_approve(certificate_id=pending.id, approver_id=make_user(role).pk)
    assert Certificate.objects.get(pk=pending.id).status == "pending"


def test_issued_certificate_cannot_be_approved_twice(make_issued, make_user):
    from tests.registry.conftest import staff_of

    cert = make_issued()
    with pytest.raises(Conflict):
        certificate_approve(certificate_id=cert.id, approver_id=staff_of(make_user).pk)


def test_revocation_needs_a_reason(make_issued, ministry_staff):
    cert = make_issued()
    with pytest.raises(Invalid):
        certificate_revoke(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason=" "
        )
    assert Certificate.objects.get(pk=cert.id).status == "issued"


def test_trainee_cannot_revoke(make_issued, trainee):
    cert = make_issued()
    with pytest.raises(Forbidden):
        certificate_revoke(certificate_id=cert.id, actor_id=trainee.pk, reason="x")
    assert Certificate.objects.get(pk=cert.id).status == "issued"


def test_revocation_is_visible_in_verification_at_once(make_issued, ministry_staff):
    cert = make_issued()
    assert verification_answer(serial=cert.serial)["status"] == "issued"
    certificate_revoke(
        certificate_id=cert.id, actor_id=ministry_staff.pk, reason="Forged evidence"
    )
    answer = verification_answer(serial=cert.serial)
    assert answer["status"] == "revoked"
    assert answer["valid"] is False


def test_list_for_holder_returns_all_their_certificates(make_pending):
    nid = make_national_id()
    make_pending(national_id=nid, level_code="assistant")
    make_pending(national_id=nid, level_code="skilled")
    make_pending()
    found = certificate_list_for_holder(national_id=nid)
    assert {c.level_code for c in found} == {"assistant", "skilled"}
    assert all(c.national_id == nid for c in found)
