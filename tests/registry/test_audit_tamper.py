"""Tamper evidence that holds (issue 16, item 6): each attack the hash chain alone
missed is found by verify_audit_log, which exits non-zero naming what it found."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from registry.audit import audit_append, audit_verify, entry_hash
from registry.audit_report import audit_full_verify
from registry.checkpoints import audit_checkpoint_write, checkpoint_list, storage
from registry.importer import import_file
from registry.models import AuditEntry, Certificate
from registry.services import (
    import_batch_approve,
    import_batch_reject_rows,
    revocation_request_confirm,
    revocation_request_create,
)
from tests.conftest import requires_postgres
from tests.factories import make_national_id


def _bypass_triggers(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")


def _verify_fails(capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit_log")
    assert exited.value.code == 1
    return capsys.readouterr().err


def _verify_passes(capsys) -> str:
    call_command("verify_audit_log")
    out = capsys.readouterr().out
    assert "intact" in out
    return out


def _chain(n=5):
    for i in range(n):
        audit_append(action="x", actor_id=None, data={"n": i})


def _paper_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["national_id", "full_name_ar", "full_name_en", "occupation_code"]
            + ["skill_level", "issue_date", "governorate_code", "legacy_number"]
        )
        writer.writerows(rows)
    return path


def _paper_rows():
    born = dt.date(1980, 5, 17)
    return [
        [make_national_id(birth_date=born), "سعاد محمود", "Soad", "7531", "skilled"]
        + ["2015-03-01", "01", "P-1"],
        [make_national_id(birth_date=born), "عمرو خالد", "", "7422", "2"]
        + ["2019-06-01", "", ""],
    ]


def test_certificates_issued_revoked_imported_approved_and_rejected_verify(
    make_issued, make_pending, ministry_staff, second_staff, tmp_path, capsys
):
    revoked = make_issued()
    request = revocation_request_create(
        certificate_id=revoked.id, actor_id=ministry_staff.pk, reason="x"
    )
    revocation_request_confirm(request_id=request.id, actor_id=second_staff.pk)
    make_pending()
    rows = _paper_rows()
    first = import_file(
        _paper_csv(tmp_path / "a.csv", rows), actor_id=ministry_staff.pk
    )
    _verify_passes(capsys)  # pending rows, bound to the batch's entry
    import_batch_approve(batch_id=first.import_batch_id, reviewer_id=second_staff.pk)
    rows[0][2] = "Soad M."  # a changed row: a conflict for the reviewer, not written
    rows.append(
        [make_national_id(birth_date=dt.date(1981, 2, 3)), "هدى علي", "", "7531"]
        + ["skilled", "2016-01-01", "", ""]
    )
    second = import_file(
        _paper_csv(tmp_path / "b.csv", rows), actor_id=ministry_staff.pk
    )
    assert second.conflicts == 1 and second.inserted == 1
    [fresh] = Certificate.objects.filter(import_batch_id=second.import_batch_id)
    import_batch_reject_rows(
        batch_id=second.import_batch_id,
        reviewer_id=second_staff.pk,
        certificate_ids=[fresh.pk],
        note="no file",
    )
    audit_checkpoint_write(force=True)
    out = _verify_passes(capsys)
    assert "1 checkpoint(s) matched" in out
    assert "4 certificates match" in out
    assert all(Certificate.objects.values_list("audit_ref", flat=True))


def test_an_approved_batch_row_flipped_back_or_renamed_is_found(
    ministry_staff, second_staff, tmp_path, capsys
):
    result = import_file(
        _paper_csv(tmp_path / "a.csv", _paper_rows()), actor_id=ministry_staff.pk
    )
    import_batch_approve(batch_id=result.import_batch_id, reviewer_id=second_staff.pk)
    _verify_passes(capsys)
    Certificate.objects.filter(full_name_en="Soad").update(status="pending")
    assert "do not match the state it recorded" in _verify_fails(capsys)


def test_a_direct_pending_to_issued_flip_is_found(make_pending, capsys):
    pending = make_pending()
    Certificate.objects.filter(pk=pending.id).update(status="issued")
    assert audit_verify()[1] is None  # the chain alone still verifies
    err = _verify_fails(capsys)
    assert pending.serial in err
    assert "is issued but its audit entry recorded pending" in err


def test_a_flip_pointed_at_another_certificate_s_entry_is_found(
    make_pending, make_issued, capsys
):
    pending = make_pending()
    issued = make_issued()
    ref = Certificate.objects.get(pk=issued.id).audit_ref
    Certificate.objects.filter(pk=pending.id).update(status="issued", audit_ref=ref)
    err = _verify_fails(capsys)
    assert f"certificate {pending.serial} points at the entry of {issued.serial}" in err


def test_a_renamed_imported_record_is_found(db, tmp_path, capsys):
    import_file(_paper_csv(tmp_path / "a.csv", _paper_rows()))
    _verify_passes(capsys)
    Certificate.objects.filter(full_name_en="Soad").update(full_name_ar="شخص آخر")
    err = _verify_fails(capsys)
    assert "do not match the state it recorded" in err


def test_a_certificate_row_without_its_entry_is_found(make_issued, capsys):
    cert = make_issued()
    Certificate.objects.filter(pk=cert.id).update(audit_ref="")
    assert f"certificate {cert.serial} (issued) names no audit entry" in _verify_fails(
        capsys
    )


def test_deleting_the_last_entries_is_found_by_the_checkpoint(db, capsys):
    _chain(5)
    audit_checkpoint_write(force=True)
    with connection.cursor() as cursor:
        _bypass_triggers(cursor)
        AuditEntry.objects.filter(seq__gte=4).delete()
    assert audit_verify() == (3, None)  # what is left still links
    err = _verify_fails(capsys)
    assert "the chain is shorter than the checkpoint" in err
    assert "it ends at #3 but entry #5 was checkpointed" in err


def test_truncating_the_log_is_found_by_the_checkpoint(db, capsys):
    _chain(3)
    audit_checkpoint_write(force=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE registry_auditentry")
        else:
            cursor.execute("DELETE FROM registry_auditentry")
    assert audit_verify() == (0, None)
    err = _verify_fails(capsys)
    assert "it ends at #0 but entry #3 was checkpointed" in err
    assert "truncated" in err


def test_a_rewritten_and_recomputed_chain_is_found_by_the_checkpoint(db, capsys):
    _chain(5)
    audit_checkpoint_write(force=True)
    with connection.cursor() as cursor:
        _bypass_triggers(cursor)
        prev = AuditEntry.objects.get(seq=2).entry_hash
        for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
            if entry.seq == 3:
                entry.data = {"n": 999}
            entry.prev_hash = prev
            entry.entry_hash = entry_hash(prev, entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                data=entry.data, prev_hash=prev, entry_hash=entry.entry_hash
            )
            prev = entry.entry_hash
    assert audit_verify() == (5, None)  # recomputed: the chain alone is fooled
    err = _verify_fails(capsys)
    assert "entry #5 differs from the checkpoint" in err
    assert "rewritten" in err


def test_a_forged_checkpoint_is_refused(db, capsys):
    _chain(2)
    checkpoint = audit_checkpoint_write(force=True)
    path = storage().path(checkpoint.name)
    text = open(path, encoding="utf-8").read().replace('"count": 2', '"count": 3')
    open(path, "w", encoding="utf-8").write(text)
    assert f"checkpoint {checkpoint.name} has a bad signature" in _verify_fails(capsys)


def test_the_sweep_checkpoints_only_when_due(db, settings):
    settings.AUDIT_CHECKPOINT_EVERY_S = 3600
    assert audit_checkpoint_write() is None  # an empty chain
    _chain(2)
    first = audit_checkpoint_write()
    assert (first.seq, first.count) == (2, 2)
    assert first.signature_ok()
    _chain(1)
    assert audit_checkpoint_write() is None  # the last one is too recent
    settings.AUDIT_CHECKPOINT_EVERY_S = 0
    assert audit_checkpoint_write().seq == 3
    assert [c.seq for c in checkpoint_list()] == [2, 3]


def test_a_broken_chain_is_never_checkpointed(db):
    _chain(3)
    audit_checkpoint_write(force=True)
    _chain(2)
    with connection.cursor() as cursor:
        _bypass_triggers(cursor)
        AuditEntry.objects.filter(seq=4).update(data={"n": "forged"})
    assert audit_checkpoint_write(force=True) is None
    assert [c.seq for c in checkpoint_list()] == [3]
    assert "entry #4" in audit_full_verify().problems[0]


def test_the_checkpoint_job_is_registered_with_the_sweep():
    from lms.ops.periodic import job_name, periodic_jobs

    names = [job_name(job) for job in periodic_jobs()]
    assert "registry.wagtail_hooks.registry_audit_checkpoint" in names


@requires_postgres
def test_postgres_computes_the_same_state_digest_as_the_reference(make_pending):
    """The bulk path and verify_audit_log use PostgreSQL's digest, the services the
    Python one: one pending (no issue date) and one issued row with Arabic names."""
    from registry.audit_state import state_digest, state_digest_sql

    make_pending(full_name_en="")
    make_pending(full_name_ar="هدى «السيد» | حسن")
    Certificate.objects.filter(full_name_en="").update(status="issued")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, {state_digest_sql('c')} FROM registry_certificate c"
        )
        by_sql = dict(cursor.fetchall())
    assert by_sql == {c.pk: state_digest(c) for c in Certificate.objects.all()}
    assert len(by_sql) == 2


def test_the_bulk_digest_of_a_record_is_the_reference_digest():
    """The import's spelled-out digest (a million rows) agrees with the reference."""
    from registry.audit_state import RowSet, state_digest_of
    from registry.data import PaperRecord
    from registry.services.bulk_state import BatchWrite

    record = PaperRecord(
        "29001010112345", "هدى «السيد»", "Hoda", dt.date(1990, 1, 1), "female",
        "01", 3, 2, "01", dt.date(2015, 6, 30), "P-1",
    )  # fmt: skip
    batch = BatchWrite(status="issued")
    batch.inserted(["ABCDEFGHJK1"], {"ABCDEFGHJK1": record})
    reference = RowSet()
    reference.add(
        state_digest_of(
            ("ABCDEFGHJK1", "issued", *record[:4], record[6], record[7], record[9])
        )
    )
    assert batch.rows == reference
