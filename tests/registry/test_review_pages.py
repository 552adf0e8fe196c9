"""The staff pages of two-person trust: batch review, the confirm step of pending
approvals with their evidence, revocation requests and the emergency path; each
refusal (uploader, other directorate, requester) as carefully as the happy path."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.kernel.errors import Forbidden
from lms.kernel.navigation import nav_items_for
from registry.importer import import_file
from registry.models import Certificate, ImportBatch, RevocationRequest
from registry.services import (
    certificate_revoke_emergency,
    revocation_request_confirm,
    revocation_request_create,
)
from tests.factories import make_national_id
from tests.registry.conftest import staff_of
from tests.registry.test_batches import BORN, _csv, _row

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "theory_percent": "84.50",
    "practical_percent": "91.00",
    "combined_percent": "88.20",
    "practical": {
        "assessor": {"id": 1, "name": "م. سامي فؤاد"},
        "rubric": "خياطة قميص",
        "scores": [
            {
                "criterion": "قص القماش",
                "weight": 5,
                "level": "متقن",
                "fraction": "0.8",
                "comment": "",
            }
        ],
        "photos": [{"id": 7, "caption": ""}],
        "comments": "",
    },
}


def _batch(tmp_path, actor, rows=None):
    rows = rows or [_row(), _row("عمرو خالد")]
    return import_file(_csv(tmp_path, rows), actor_id=actor.pk).import_batch_id


def test_the_reviewer_sees_counts_rows_and_conflicts_and_approves_after_confirming(
    client, tmp_path, ministry_staff, second_staff, make_issued
):
    # born in 1980, so the file's 2015 record of the same ID is plausible (a random
    # birth date after it had the row refused and this test fail now and then)
    holder = make_issued(
        full_name_ar="منى أحمد السيد", national_id=make_national_id(birth_date=BORN)
    )
    batch_id = _batch(
        tmp_path, ministry_staff, [_row("فاطمة علي", nid=holder.national_id), _row()]
    )
    client.force_login(second_staff)
    page = client.get(reverse("registry:batch_detail", args=[batch_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "فاطمة علي" in html and "منى أحمد السيد" in html  # the conflict, listed
    assert 'data-conflict="registry_name"' in html
    approve = reverse("registry:batch_approve", args=[batch_id])
    assert client.post(approve).status_code == 400  # no confirmation ticked
    assert client.post(approve, {"confirm": "yes"}).status_code == 409  # conflict
    conflicted = Certificate.objects.get(full_name_ar="فاطمة علي")
    client.post(
        reverse("registry:batch_reject_rows", args=[batch_id]),
        {"row": [conflicted.pk]},
    )
    assert client.post(approve, {"confirm": "yes"}).status_code == 302
    issued = Certificate.objects.get(full_name_ar="سعاد محمود")
    assert issued.status == "issued" and issued.approved_by_id == second_staff.pk
    assert client.get(f"/api/v1/verify/{issued.serial}/").json()["valid"] is True
    detail = client.get(
        reverse("registry:certificate_detail", args=[issued.serial_display])
    ).content.decode()
    # its history names the import and the batch's approval, with their actors
    assert "استُوردت (بانتظار الاعتماد، ضمن دفعة استيراد)" in detail
    assert "اعتُمدت دفعة الاستيراد: صدرت" in detail


def test_the_uploader_is_refused_with_a_clear_message(client, tmp_path, ministry_staff):
    batch_id = _batch(tmp_path, ministry_staff)
    client.force_login(ministry_staff)
    page = client.get(reverse("registry:batch_detail", args=[batch_id])).content
    assert "يجب أن يراجعها ويعتمدها موظف آخر" in page.decode()
    refused = client.post(
        reverse("registry:batch_approve", args=[batch_id]), {"confirm": "yes"}
    )
    assert refused.status_code == 403
    assert "أنت من رفع هذه الدفعة" in refused.content.decode()
    assert not Certificate.objects.filter(status="issued").exists()


def test_staff_of_another_directorate_neither_see_nor_approve_a_batch(
    client, tmp_path, sharqia_staff, make_user
):
    batch_id = _batch(tmp_path, sharqia_staff, [_row(gov="13")])
    cairo = staff_of(make_user, "01")
    client.force_login(cairo)
    assert batch_id and client.get(reverse("registry:batch_list")).status_code == 200
    listing = client.get(reverse("registry:batch_list")).content.decode()
    assert f'href="{reverse("registry:batch_detail", args=[batch_id])}"' not in listing
    url = reverse("registry:batch_detail", args=[batch_id])
    assert client.get(url).status_code == 404
    approve = reverse("registry:batch_approve", args=[batch_id])
    assert client.post(approve, {"confirm": "yes"}).status_code == 404
    assert Certificate.objects.get().status == "pending"
    assert ImportBatch.objects.get().label == "paper.csv"  # the upload's name


def test_trainees_and_unplaced_staff_are_refused_the_review_pages(
    client, tmp_path, trainee, make_user, ministry_staff
):
    batch_id = _batch(tmp_path, ministry_staff)
    unplaced = make_user("ministry_staff", is_staff=True)
    for person in (trainee, unplaced):
        client.force_login(person)
        for name, args in (
            ("registry:batch_list", []),
            ("registry:batch_detail", [batch_id]),
            ("registry:revocations", []),
            ("registry:pending", []),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403


def test_pending_list_shows_the_evidence_and_bulk_approval_confirms_first(
    client, make_pending, second_staff
):
    first = make_pending(evidence=EVIDENCE)
    other = make_pending()
    client.force_login(second_staff)
    html = client.get(reverse("registry:pending")).content.decode()
    assert "84.50" in html and "م. سامي فؤاد" in html and "قص القماش" in html
    url = reverse("registry:pending_confirm")
    step = client.post(url, {"certificate": [first.id, other.id]})
    assert step.status_code == 200
    body = step.content.decode()
    assert first.serial_display in body and other.serial_display in body
    assert "91.00" in body
    assert reverse("assessments:evidence_photo", args=[7]) in body
    assert Certificate.objects.filter(status="issued").count() == 0
    client.post(url, {"certificate": [first.id, other.id], "confirm": "yes"})
    assert Certificate.objects.filter(status="issued").count() == 2


def test_directorate_staff_see_and_approve_only_their_directorates_items(
    client, make_pending, sharqia_staff
):
    from tests.factories import make_national_id

    ours = make_pending(national_id=make_national_id(governorate="13"))
    theirs = make_pending(national_id=make_national_id(governorate="01"))
    client.force_login(sharqia_staff)
    html = client.get(reverse("registry:pending")).content.decode()
    assert ours.serial_display in html and theirs.serial_display not in html
    url = reverse("registry:approve", args=[theirs.serial_display])
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    client.post(
        reverse("registry:pending_confirm"),
        {"certificate": [theirs.id], "confirm": "yes"},
    )
    assert Certificate.objects.get(pk=theirs.id).status == "pending"
    client.post(
        reverse("registry:approve", args=[ours.serial_display]), {"confirm": "yes"}
    )
    assert Certificate.objects.get(pk=ours.id).status == "issued"


# --- revocation ---------------------------------------------------------------------


def test_the_requester_cannot_confirm_their_own_revocation(
    make_issued, ministry_staff, second_staff
):
    cert = make_issued()
    asked = revocation_request_create(
        certificate_id=cert.id, actor_id=ministry_staff.pk, reason="Forged"
    )
    with pytest.raises(Forbidden) as refused:
        revocation_request_confirm(request_id=asked.id, actor_id=ministry_staff.pk)
    assert refused.value.code == "own_request"
    assert Certificate.objects.get(pk=cert.id).status == "issued"
    revoked = revocation_request_confirm(request_id=asked.id, actor_id=second_staff.pk)
    assert revoked.status == "revoked"
    assert RevocationRequest.objects.get().status == "confirmed"


def test_another_directorate_can_neither_ask_nor_confirm(
    make_issued, make_user, ministry_staff
):
    from tests.factories import make_national_id

    cert = make_issued(national_id=make_national_id(governorate="13"))
    cairo = staff_of(make_user, "01")
    with pytest.raises(Forbidden):
        revocation_request_create(certificate_id=cert.id, actor_id=cairo.pk, reason="x")
    asked = revocation_request_create(
        certificate_id=cert.id, actor_id=ministry_staff.pk, reason="x"
    )
    with pytest.raises(Forbidden) as refused:
        revocation_request_confirm(request_id=asked.id, actor_id=cairo.pk)
    assert refused.value.code == "other_directorate"
    assert Certificate.objects.get(pk=cert.id).status == "issued"


def test_emergency_revocation_is_off_by_default(make_issued, ministry_staff):
    cert = make_issued()
    with pytest.raises(Forbidden) as refused:
        certificate_revoke_emergency(
            certificate_id=cert.id, actor_id=ministry_staff.pk, reason="Fraud ring"
        )
    assert refused.value.code == "emergency_off"
    assert Certificate.objects.get(pk=cert.id).status == "issued"


def test_when_on_head_office_alone_may_revoke_in_an_emergency_audited(
    settings, make_issued, ministry_staff, sharqia_staff
):
    from registry.models import AuditEntry
    from tests.factories import make_national_id

    settings.REGISTRY_EMERGENCY_REVOCATION = True
    cert = make_issued(national_id=make_national_id(governorate="13"))
    with pytest.raises(Forbidden) as refused:
        certificate_revoke_emergency(
            certificate_id=cert.id, actor_id=sharqia_staff.pk, reason="Fraud ring"
        )
    assert refused.value.code == "not_head_office"
    revoked = certificate_revoke_emergency(
        certificate_id=cert.id, actor_id=ministry_staff.pk, reason="Fraud ring"
    )
    assert revoked.status == "revoked"
    entry = AuditEntry.objects.get(action="certificate.revoke_emergency")
    assert entry.actor_id == ministry_staff.pk and entry.data["emergency"] is True


def test_the_revoke_page_asks_and_offers_the_emergency_path_to_head_office_only(
    client, settings, make_issued, ministry_staff, sharqia_staff
):
    from tests.factories import make_national_id

    cert = make_issued(national_id=make_national_id(governorate="13"))
    url = reverse("registry:revoke", args=[cert.serial_display])
    client.force_login(ministry_staff)
    assert 'name="emergency"' not in client.get(url).content.decode()  # off
    settings.REGISTRY_EMERGENCY_REVOCATION = True
    client.force_login(sharqia_staff)
    assert 'name="emergency"' not in client.get(url).content.decode()
    client.force_login(ministry_staff)
    assert 'name="emergency"' in client.get(url).content.decode()
    client.post(url, {"reason": "Fraud ring", "emergency": "on"})
    assert Certificate.objects.get(pk=cert.id).status == "revoked"


# --- workplace navigation ----------------------------------------------------------


def test_the_menu_offers_batches_and_revocations_with_counts_to_staff_only(
    tmp_path, ministry_staff, second_staff, trainee, make_issued
):
    _batch(tmp_path, ministry_staff)
    cert = make_issued()
    revocation_request_create(
        certificate_id=cert.id, actor_id=ministry_staff.pk, reason="x"
    )
    counts = {i.key: i.count for i in nav_items_for(second_staff)}
    assert counts["registry.batches"] == 1 and counts["registry.revocations"] == 1
    own = {i.key: i.count for i in nav_items_for(ministry_staff)}
    assert own["registry.batches"] == 0 and own["registry.revocations"] == 0
    keys = {i.key for i in nav_items_for(trainee)}
    assert not keys & {"registry.batches", "registry.revocations", "registry.pending"}


def test_uploading_through_the_page_makes_a_batch_to_review(
    client, ministry_staff, django_capture_on_commit_callbacks
):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["national_id", "full_name_ar", "occupation_code", "skill_level", "issue_date"]
    )
    row = _row()
    writer.writerow([row[0], row[1], row[3], row[4], row[5]])
    upload = SimpleUploadedFile("paper.csv", buffer.getvalue().encode(), "text/csv")
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), {"file": upload})
    status = client.get(response["Location"]).content.decode()
    assert "فتح الدفعة" in status
    assert Certificate.objects.get().status == "pending"
    assert ImportBatch.objects.get().label == "paper.csv"  # the upload's name
