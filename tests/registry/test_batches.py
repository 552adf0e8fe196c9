"""Two people for every change of trust (issue 16): an import is a batch of pending
certificates that a second staff member reviews; conflicts, spreadsheet artefacts,
unknown headers and impossible dates are refused; the uploader cannot approve."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import Workbook

from lms.kernel.errors import Conflict, Forbidden
from registry.audit import audit_verify
from registry.importer import ImportFileError, import_file
from registry.models import (
    AuditEntry,
    Certificate,
    ImportBatch,
    ImportConflict,
)
from registry.selectors import verification_answer
from registry.services import (
    import_batch_approve,
    import_batch_reject,
    import_batch_reject_rows,
)
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db

HEADER = [
    "national_id",
    "full_name_ar",
    "full_name_en",
    "occupation_code",
    "skill_level",
    "issue_date",
    "governorate_code",
    "legacy_number",
]
BORN = dt.date(1980, 5, 17)


def _row(
    name="سعاد محمود", *, nid=None, occupation="7531", date="2015-03-01", gov="01"
):
    nid = nid or make_national_id(birth_date=BORN, governorate=gov)
    return [nid, name, "", occupation, "skilled", date, "", ""]


def _csv(tmp_path, rows, header=HEADER, name="paper.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(tmp_path, rows, actor, **kwargs):
    return import_file(_csv(tmp_path, rows, **kwargs), actor_id=actor.pk)


# --- nothing imported is valid before a second person approves ----------------------


def test_an_import_is_a_pending_batch_that_verification_calls_not_valid(
    tmp_path, ministry_staff
):
    result = _import(tmp_path, [_row(), _row("عمرو خالد")], ministry_staff)
    batch = ImportBatch.objects.get(pk=result.import_batch_id)
    assert (batch.status, batch.rows, batch.created_by_id) == (
        "review",
        2,
        ministry_staff.pk,
    )
    for cert in Certificate.objects.all():
        assert cert.status == "pending" and cert.approved_by_id is None
        answer = verification_answer(serial=cert.serial)
        assert answer["status"] == "pending" and not answer.get("valid")


def test_the_uploader_cannot_approve_their_own_batch(tmp_path, ministry_staff):
    result = _import(tmp_path, [_row()], ministry_staff)
    with pytest.raises(Forbidden) as refused:
        import_batch_approve(
            batch_id=result.import_batch_id, reviewer_id=ministry_staff.pk
        )
    assert refused.value.code == "own_batch"
    assert Certificate.objects.get().status == "pending"


def test_a_second_staff_member_approves_and_the_certificates_become_valid(
    tmp_path, ministry_staff, second_staff
):
    result = _import(tmp_path, [_row(), _row("عمرو خالد")], ministry_staff)
    serial = Certificate.objects.first().serial
    assert verification_answer(serial=serial)["status"] == "pending"  # cached now
    done = import_batch_approve(
        batch_id=result.import_batch_id, reviewer_id=second_staff.pk
    )
    assert (done.status, done.issued) == ("approved", 2)
    assert verification_answer(serial=serial)["valid"] is True
    for cert in Certificate.objects.all():
        assert (cert.status, cert.approved_by_id, cert.created_by_id) == (
            "issued",
            second_staff.pk,
            ministry_staff.pk,
        )
    # One entry per certificate issued, and the batch's with its serials' digest.
    assert AuditEntry.objects.filter(action="certificate.approve").count() == 2
    entry = AuditEntry.objects.get(action="import.batch_approve")
    assert entry.data["issued"] == 2 and len(entry.data["serials_sha256"]) == 64
    assert audit_verify()[1] is None


def test_a_batch_can_be_approved_only_once(tmp_path, ministry_staff, second_staff):
    result = _import(tmp_path, [_row()], ministry_staff)
    import_batch_approve(batch_id=result.import_batch_id, reviewer_id=second_staff.pk)
    with pytest.raises(Conflict):
        import_batch_approve(
            batch_id=result.import_batch_id, reviewer_id=second_staff.pk
        )


def test_rejecting_a_batch_removes_its_pending_certificates(
    tmp_path, ministry_staff, second_staff
):
    result = _import(tmp_path, [_row(), _row("عمرو خالد")], ministry_staff)
    serial = Certificate.objects.first().serial
    done = import_batch_reject(
        batch_id=result.import_batch_id, reviewer_id=second_staff.pk, note="Bad scan"
    )
    assert done.status == "rejected" and not Certificate.objects.exists()
    assert verification_answer(serial=serial)["status"] == "unknown"


def test_rows_rejected_by_the_reviewer_are_never_issued(
    tmp_path, ministry_staff, second_staff
):
    result = _import(tmp_path, [_row(), _row("عمرو خالد")], ministry_staff)
    bad = Certificate.objects.get(full_name_ar="عمرو خالد")
    import_batch_reject_rows(
        batch_id=result.import_batch_id,
        reviewer_id=second_staff.pk,
        certificate_ids=[bad.pk],
    )
    done = import_batch_approve(
        batch_id=result.import_batch_id, reviewer_id=second_staff.pk
    )
    assert done.issued == 1
    assert list(Certificate.objects.values_list("full_name_ar", "status")) == [
        ("سعاد محمود", "issued")
    ]


# --- directorates ------------------------------------------------------------------


def test_staff_of_another_directorate_cannot_review_a_batch(
    tmp_path, sharqia_staff, sharqia_staff2, make_user
):
    from tests.registry.conftest import staff_of

    result = _import(tmp_path, [_row(gov="13")], sharqia_staff)
    assert ImportBatch.objects.get().governorate_code == "13"
    cairo = staff_of(make_user, "01")
    with pytest.raises(Forbidden) as refused:
        import_batch_approve(batch_id=result.import_batch_id, reviewer_id=cairo.pk)
    assert refused.value.code == "other_directorate"
    done = import_batch_approve(
        batch_id=result.import_batch_id, reviewer_id=sharqia_staff2.pk
    )
    assert done.issued == 1


def test_a_directorate_import_refuses_rows_of_other_governorates(
    tmp_path, sharqia_staff
):
    result = _import(tmp_path, [_row(gov="13"), _row(gov="01")], sharqia_staff)
    assert (result.inserted, result.rejected) == (1, 1)
    assert result.rejections[0].code == "other_directorate"
    assert Certificate.objects.get().governorate_code == "13"


def test_staff_without_a_directorate_cannot_import(tmp_path, make_user):
    unplaced = make_user("ministry_staff", is_staff=True)
    with pytest.raises(ImportFileError, match="مديرية"):
        _import(tmp_path, [_row()], unplaced)
    assert not Certificate.objects.exists()


# --- refused rows ------------------------------------------------------------------


def test_a_second_row_with_the_same_record_key_is_refused_not_an_overwrite(
    tmp_path, ministry_staff
):
    first = _row()
    again = list(first)
    again[1] = "سعاد محمود علي"
    result = _import(tmp_path, [first, again], ministry_staff)
    assert (result.inserted, result.unchanged, result.rejected) == (1, 0, 1)
    (refused,) = result.rejections
    assert (refused.row, refused.code) == (3, "duplicate")
    assert Certificate.objects.get().full_name_ar == "سعاد محمود"


@pytest.mark.parametrize(
    "value", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"]
)
def test_excel_error_values_are_refused_per_row(tmp_path, ministry_staff, value):
    result = _import(tmp_path, [_row(value), _row()], ministry_staff)
    assert (result.inserted, result.rejected) == (1, 1)
    (refused,) = result.rejections
    assert (refused.row, refused.column, refused.code) == (
        2,
        "full_name_ar",
        "excel_error",
    )
    assert not Certificate.objects.filter(full_name_ar=value).exists()


def test_a_csv_formula_is_refused(tmp_path, ministry_staff):
    row = _row('=HYPERLINK("http://x","y")')
    result = _import(tmp_path, [row], ministry_staff)
    assert [r.code for r in result.rejections] == ["formula"]
    assert not Certificate.objects.exists()


def test_an_xlsx_formula_cell_and_error_cell_are_refused(tmp_path, ministry_staff):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    good = _row()
    ws.append(good)
    formula = _row()
    formula[1] = "=A2"
    ws.append(formula)
    error = _row()
    error[1] = "#N/A"
    ws.append(error)
    path = tmp_path / "paper.xlsx"
    wb.save(path)
    result = import_file(path, actor_id=ministry_staff.pk)
    assert result.inserted == 1
    assert sorted((r.row, r.code) for r in result.rejections) == [
        (3, "formula"),
        (4, "excel_error"),
    ]


def test_an_unknown_header_fails_the_file_before_any_row_is_read(
    tmp_path, ministry_staff
):
    header = [*HEADER, "old_number"]
    with pytest.raises(ImportFileError) as failed:
        _import(tmp_path, [_row() + ["L-1"]], ministry_staff, header=header)
    assert "old_number" in str(failed.value) and "غير معروفة" in str(failed.value)
    assert not Certificate.objects.exists() and not ImportBatch.objects.exists()


def test_a_missing_header_is_named(tmp_path, ministry_staff):
    header = [h for h in HEADER if h != "issue_date"]
    with pytest.raises(ImportFileError, match="issue_date"):
        _import(tmp_path, [_row()[:5] + _row()[6:]], ministry_staff, header=header)
    assert not ImportBatch.objects.exists()


def test_an_issue_date_in_the_future_is_refused(tmp_path, ministry_staff):
    later = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    result = _import(tmp_path, [_row(date=later)], ministry_staff)
    assert [r.code for r in result.rejections] == ["date_future"]


def test_an_issue_date_before_the_occupation_existed_is_refused(
    tmp_path, ministry_staff
):
    """ICT installers and servicers (mobile phones): introduced 1990."""
    result = _import(
        tmp_path,
        [_row(occupation="7422", date="1985-06-01"), _row(occupation="7422")],
        ministry_staff,
    )
    assert [(r.row, r.code) for r in result.rejections] == [
        (2, "date_before_occupation")
    ]
    assert result.inserted == 1


# --- conflicts, at import and at approval ---------------------------------------------


def test_the_same_national_id_under_another_name_is_a_conflict_that_blocks_approval(
    tmp_path, ministry_staff, second_staff, make_issued
):
    nid = make_national_id(birth_date=BORN, governorate="01")
    make_issued(national_id=nid, full_name_ar="منى أحمد السيد")
    result = _import(
        tmp_path, [_row("فاطمة علي", nid=nid), _row("عمرو خالد")], ministry_staff
    )
    assert result.conflicts == 1
    (conflict,) = ImportConflict.objects.all()
    assert (conflict.kind, conflict.imported, conflict.known) == (
        "registry_name",
        "فاطمة علي",
        "منى أحمد السيد",
    )
    with pytest.raises(Conflict) as blocked:
        import_batch_approve(
            batch_id=result.import_batch_id, reviewer_id=second_staff.pk
        )
    assert blocked.value.code == "conflicts"
    import_batch_reject_rows(
        batch_id=result.import_batch_id,
        reviewer_id=second_staff.pk,
        certificate_ids=[conflict.certificate_id],
    )
    done = import_batch_approve(
        batch_id=result.import_batch_id, reviewer_id=second_staff.pk
    )
    assert done.issued == 1


def test_a_name_differing_only_in_spelling_variants_is_no_conflict(
    tmp_path, ministry_staff, make_issued
):
    nid = make_national_id(birth_date=BORN, governorate="01")
    make_issued(national_id=nid, full_name_ar="أسامة  محمد")
    result = _import(tmp_path, [_row("اسامه محمد", nid=nid)], ministry_staff)
    assert result.conflicts == 0


def test_the_holders_account_under_another_name_is_a_conflict(
    tmp_path, ministry_staff, make_user
):
    holder = make_user(  # born in 1980: the file's 2015 record is plausible
        "trainee",
        full_name_ar="كريم حسن",
        national_id=make_national_id(birth_date=BORN),
    )
    result = _import(
        tmp_path, [_row("حسن كريم", nid=holder.national_id)], ministry_staff
    )
    assert [c.kind for c in ImportConflict.objects.all()] == ["account_name"]
    assert result.conflicts == 1


def test_the_same_national_id_under_two_names_in_one_file_is_a_conflict(
    tmp_path, ministry_staff
):
    nid = make_national_id(birth_date=BORN, governorate="01")
    rows = [_row("سعاد محمود", nid=nid), _row("سعاد محمد", nid=nid, date="2016-01-01")]
    result = _import(tmp_path, rows, ministry_staff)
    assert result.inserted == 2
    assert [c.kind for c in ImportConflict.objects.all()] == ["file_name"]


def test_a_conflict_that_appears_after_the_import_is_found_at_approval(
    tmp_path, ministry_staff, second_staff, make_user
):
    nid = make_national_id(birth_date=BORN, governorate="01")
    result = _import(tmp_path, [_row("سعاد محمود", nid=nid)], ministry_staff)
    assert result.conflicts == 0
    make_user("trainee", national_id=nid, full_name_ar="هدى سامي")
    with pytest.raises(Conflict):
        import_batch_approve(
            batch_id=result.import_batch_id, reviewer_id=second_staff.pk
        )
    assert [c.kind for c in ImportConflict.objects.all()] == ["account_name"]
    assert Certificate.objects.get().status == "pending"
