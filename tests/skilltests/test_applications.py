"""Applications: who may apply, one open application per occupation, the
directorate's decision (only its own governorate's, never one's own), changes after
a return, withdrawal; every change audited and notified."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from lms.kernel.errors import Conflict, Forbidden, Invalid
from lms.kernel.models import Notification
from skilltests import services
from skilltests.models import (
    AppendOnly,
    Application,
    ApplicationDocument,
    ApplicationEvent,
)
from skilltests.services import Upload
from tests.conftest import requires_postgres
from tests.skilltests.conftest import SHARQIA, pdf_file, png_file

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def history(reference: str) -> list[tuple[str, str, str]]:
    return list(
        ApplicationEvent.objects.filter(application__reference=reference)
        .order_by("pk")
        .values_list("action", "state_before", "state_after")
    )


def test_a_verified_worker_applies_and_is_told(applicant, submit):
    application = submit(applicant)
    assert application.state == "submitted"
    assert application.occupation_code == "7531"
    assert application.governorate_code == SHARQIA
    assert [d.kind for d in application.documents] == ["experience_letter"]
    assert history(application.reference) == [("submitted", "", "submitted")]
    assert kinds(applicant) == ["skilltest_submitted"]
    notice = Notification.objects.get(user=applicant)
    assert application.reference in notice.subject
    assert applicant.national_id not in notice.text


def test_an_unverified_identity_cannot_apply(worker, submit):
    unverified = worker(verified=False)
    with pytest.raises(Forbidden) as refused:
        submit(unverified)
    assert refused.value.code == "identity_not_verified"
    assert not Application.objects.exists()


def test_a_second_open_application_for_the_occupation_is_refused(applicant, submit):
    first = submit(applicant)
    with pytest.raises(Conflict) as refused:
        submit(applicant, level_code="technician")
    assert refused.value.code == "application_open"
    assert first.reference in refused.value.message
    assert Application.objects.count() == 1
    assert not ApplicationDocument.objects.exclude(
        application__reference=first.reference
    )


def test_another_occupation_may_be_open_at_the_same_time(applicant, submit):
    submit(applicant)
    other = submit(applicant, occupation_code="7127")
    assert other.state == "submitted"


def test_after_withdrawing_one_may_apply_again(applicant, submit):
    first = submit(applicant)
    services.application_withdraw(reference=first.reference, applicant_id=applicant.pk)
    assert submit(applicant).state == "submitted"


def test_the_database_refuses_two_open_applications_even_past_the_service(
    applicant, submit
):
    first = submit(applicant)
    row = Application.objects.get(reference=first.reference)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            reference="ZZZZZZZZ",
            applicant=applicant,
            occupation=row.occupation,
            skill_level=row.skill_level,
            governorate_code=SHARQIA,
            experience_years=1,
            experience_summary="x",
        )


def test_a_governorate_without_a_centre_for_the_occupation_is_refused_naming_others(
    applicant, submit
):
    # Every governorate tests tailoring; only some test refrigeration (7127).
    with pytest.raises(Invalid) as refused:
        submit(applicant, occupation_code="7127", governorate_code="34")
    assert refused.value.code == "no_centre_in_governorate"
    assert "governorate_code" in refused.value.fields
    assert "الشرقية" in refused.value.message or "Sharqia" in refused.value.message


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"documents": []}, "documents_missing"),
        ({"experience_years": 61}, "experience_years"),
        ({"experience_summary": "   "}, "experience_missing"),
        ({"governorate_code": "88"}, "governorate"),
        ({"occupation_code": "9999"}, "occupation"),
        ({"level_code": "grandmaster"}, "level"),
    ],
)
def test_bad_input_is_refused_with_its_code(applicant, submit, overrides, code):
    with pytest.raises(Invalid) as refused:
        submit(applicant, **overrides)
    assert refused.value.code == code
    assert not Application.objects.exists()


def test_a_file_that_is_not_a_pdf_or_picture_is_refused_and_nothing_stored(
    applicant, submit, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(Invalid) as refused:
        submit(
            applicant,
            documents=[
                Upload("training_certificate", pdf_file()),
                Upload("other", fake),
            ],
        )
    assert refused.value.code == "document_type"
    assert "cv.pdf" in refused.value.message
    assert not ApplicationDocument.objects.exists()
    assert not list((tmp_path / "private").rglob("*.pdf"))


def test_a_document_over_the_limit_is_refused(applicant, submit, settings):
    settings.SKILLTESTS_DOCUMENT_MAX_BYTES = 100
    big = pdf_file()
    big.file.write(b"0" * 200)
    big.size = 260
    with pytest.raises(Invalid) as refused:
        submit(applicant, documents=[Upload("other", big)])
    assert refused.value.code == "document_too_large"


def test_too_many_documents_are_refused(applicant, submit, settings):
    settings.SKILLTESTS_MAX_DOCUMENTS = 2
    with pytest.raises(Invalid) as refused:
        submit(
            applicant, documents=[Upload("work_photo", png_file()) for _ in range(3)]
        )
    assert refused.value.code == "too_many_documents"


def test_photos_are_stored_again_without_their_metadata(applicant, submit):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = __import__("io").BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, "JPEG", exif=exif.tobytes())
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("me.jpg", out.getvalue(), "image/jpeg")
    application = submit(applicant, documents=[Upload("work_photo", photo)])
    stored = ApplicationDocument.objects.get(
        application__reference=application.reference
    )
    assert stored.content_type == "image/jpeg"
    assert stored.file.storage.__class__.__name__ == "PrivateFileSystemStorage"
    assert not stored.file.name.endswith("me.jpg")  # an unguessable name
    with stored.file.open("rb") as handle, Image.open(handle) as picture:
        assert not picture.getexif()


def test_staff_of_its_directorate_accept_and_the_applicant_is_told(
    applicant, submit, sharqia_staff
):
    application = submit(applicant)
    decided = services.application_accept(
        reference=application.reference, staff_id=sharqia_staff.pk
    )
    assert decided.state == "accepted"
    assert decided.decided_by_id == sharqia_staff.pk
    assert history(application.reference)[-1] == ("accepted", "submitted", "accepted")
    assert kinds(applicant)[-1] == "skilltest_accepted"


def test_head_office_may_decide_for_any_governorate(applicant, submit, head_office):
    application = submit(applicant)
    decided = services.application_accept(
        reference=application.reference, staff_id=head_office.pk
    )
    assert decided.state == "accepted"


def test_another_directorate_may_not_decide(applicant, submit, cairo_staff):
    application = submit(applicant)
    for decide in (
        lambda: services.application_accept(
            reference=application.reference, staff_id=cairo_staff.pk
        ),
        lambda: services.application_return(
            reference=application.reference,
            staff_id=cairo_staff.pk,
            reason="أرفق شهادة الخبرة من صاحب العمل",
        ),
    ):
        with pytest.raises(Forbidden) as refused:
            decide()
        assert refused.value.code == "other_directorate"
    assert Application.objects.get().state == "submitted"


def test_staff_not_placed_in_a_directorate_and_non_staff_may_not_decide(
    applicant, submit, make_user
):
    application = submit(applicant)
    unplaced = make_user("ministry_staff", is_staff=True)
    assessor = make_user("assessor")
    for person, code in ((unplaced, "no_directorate"), (assessor, "not_staff")):
        with pytest.raises(Forbidden) as refused:
            services.application_accept(
                reference=application.reference, staff_id=person.pk
            )
        assert refused.value.code == code


def test_staff_never_decide_on_their_own_application(staff_in, submit, head_office):
    from lms.accounts.services import national_id_claim_open, national_id_claim_verify

    staff = staff_in(SHARQIA)
    claim = national_id_claim_open(user=staff)
    national_id_claim_verify(claim_id=claim.id, staff_id=head_office.pk)
    application = submit(staff)
    with pytest.raises(Forbidden) as refused:
        services.application_accept(reference=application.reference, staff_id=staff.pk)
    assert refused.value.code == "own_application"


def test_a_decision_already_taken_is_not_taken_again(
    applicant, submit, sharqia_staff, staff_in
):
    application = submit(applicant)
    services.application_accept(
        reference=application.reference, staff_id=sharqia_staff.pk
    )
    with pytest.raises(Conflict) as refused:
        services.application_return(
            reference=application.reference,
            staff_id=staff_in(SHARQIA).pk,
            reason="أرفق صور أعمالك من فضلك",
        )
    assert refused.value.code == "not_submitted"


def test_an_identity_undone_meanwhile_cannot_be_accepted(
    applicant, submit, sharqia_staff
):
    from lms.accounts.models import ClaimState, NationalIdClaim

    application = submit(applicant)
    NationalIdClaim.objects.filter(user=applicant).update(state=ClaimState.CONTESTED)
    with pytest.raises(Conflict) as refused:
        services.application_accept(
            reference=application.reference, staff_id=sharqia_staff.pk
        )
    assert refused.value.code == "identity_not_verified"


def test_returning_needs_a_reason_the_applicant_can_act_on(
    applicant, submit, sharqia_staff
):
    application = submit(applicant)
    with pytest.raises(Invalid) as refused:
        services.application_return(
            reference=application.reference, staff_id=sharqia_staff.pk, reason="لا"
        )
    assert refused.value.code == "reason_required"
    assert Application.objects.get().state == "submitted"


def test_returned_then_changed_and_sent_again(applicant, submit, sharqia_staff):
    application = submit(applicant)
    reason = "أرفق خطاب خبرة مختوماً من صاحب العمل"
    returned = services.application_return(
        reference=application.reference, staff_id=sharqia_staff.pk, reason=reason
    )
    assert returned.state == "returned"
    assert returned.return_reason == reason
    notice = Notification.objects.filter(user=applicant).latest("pk")
    assert notice.kind == "skilltest_returned" and reason in notice.text
    old_document = returned.documents[0].id
    again = services.application_resubmit(
        reference=application.reference,
        applicant_id=applicant.pk,
        governorate_code=SHARQIA,
        experience_years=8,
        experience_summary="ترزي منذ ٢٠١٦ في ورشة الحاج سيد",
        documents_added=[Upload("experience_letter", pdf_file("stamped.pdf"))],
        documents_removed=[old_document],
    )
    assert again.state == "submitted"
    assert again.experience_years == 8
    assert [d.original_name for d in again.documents] == ["stamped.pdf"]
    assert [h[0] for h in history(application.reference)] == [
        "submitted",
        "returned",
        "resubmitted",
    ]
    returned_event = ApplicationEvent.objects.get(action="returned")
    assert returned_event.reason == reason and returned_event.actor == sharqia_staff


def test_only_a_returned_application_can_be_changed(applicant, submit):
    application = submit(applicant)
    with pytest.raises(Conflict) as refused:
        services.application_resubmit(
            reference=application.reference,
            applicant_id=applicant.pk,
            governorate_code=SHARQIA,
            experience_years=1,
            experience_summary="x",
        )
    assert refused.value.code == "not_returned"


def test_removing_every_document_on_resubmission_is_refused(
    applicant, submit, sharqia_staff
):
    application = submit(applicant)
    returned = services.application_return(
        reference=application.reference,
        staff_id=sharqia_staff.pk,
        reason="الوثيقة غير مقروءة، أرسلها من جديد",
    )
    with pytest.raises(Invalid) as refused:
        services.application_resubmit(
            reference=application.reference,
            applicant_id=applicant.pk,
            governorate_code=SHARQIA,
            experience_years=1,
            experience_summary="خياط",
            documents_removed=[returned.documents[0].id],
        )
    assert refused.value.code == "documents_missing"
    assert ApplicationDocument.objects.count() == 1


def test_nobody_else_sees_or_changes_an_application(applicant, worker, submit):
    from lms.kernel.errors import NotFound
    from skilltests.selectors import application_get_for_applicant

    application = submit(applicant)
    stranger = worker()
    with pytest.raises(NotFound):
        application_get_for_applicant(
            reference=application.reference, applicant_id=stranger.pk
        )
    with pytest.raises(NotFound):
        services.application_withdraw(
            reference=application.reference, applicant_id=stranger.pk
        )


def test_history_is_never_edited_or_deleted(applicant, submit):
    application = submit(applicant)
    event = ApplicationEvent.objects.get(application__reference=application.reference)
    event.reason = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


@requires_postgres
def test_the_database_refuses_to_rewrite_history(applicant, submit):
    from django.db import DatabaseError

    submit(applicant)
    for statement in (
        "UPDATE skilltests_applicationevent SET reason = 'x'",
        "DELETE FROM skilltests_applicationevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert ApplicationEvent.objects.count() == 1


def test_the_directorates_list_pages_through_every_application_once(
    worker, submit, sharqia_staff, head_office
):
    from skilltests.selectors import applications_page_for_staff

    references = [submit(worker()).reference for _ in range(7)]
    seen, after = [], ""
    while True:
        page = applications_page_for_staff(
            staff_id=sharqia_staff.pk, state="", after=after, size=3
        )
        seen += [row.reference for row in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == references  # oldest first, each once
    assert page.counts == {"submitted": 7}
    back = applications_page_for_staff(
        staff_id=sharqia_staff.pk, state="", before=page.previous_cursor, size=3
    )
    assert [row.reference for row in back.rows] == references[3:6]


def test_the_badge_counts_what_waits_in_the_directorate(
    applicant,
    worker,
    submit,
    sharqia_staff,
    cairo_staff,
    django_capture_on_commit_callbacks,
):
    from skilltests.selectors import applications_waiting_count

    assert applications_waiting_count(staff_id=sharqia_staff.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(applicant)
        submit(worker())
    assert applications_waiting_count(staff_id=sharqia_staff.pk) == 2
    assert applications_waiting_count(staff_id=cairo_staff.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(
            reference=first.reference, staff_id=sharqia_staff.pk
        )
    assert applications_waiting_count(staff_id=sharqia_staff.pk) == 1
    assert applications_waiting_count(staff_id=applicant.pk) == 0  # not staff
