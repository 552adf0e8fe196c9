import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from registry.audit import audit_append, audit_verify
from registry.models import AuditEntry
from tests.conftest import requires_postgres


def _tamper(seq, **changes):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        AuditEntry.objects.filter(seq=seq).update(**changes)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_each_entry_carries_the_previous_hash(db):
    first = audit_append(action="a", actor_id=None, data={"n": 1})
    second = audit_append(action="b", actor_id=None, data={"n": 2})
    assert second.prev_hash == first.entry_hash
    assert audit_verify() == (2, None)


def test_service_changes_are_logged_and_chain_verifies(make_issued, capsys):
    make_issued()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["certificate.create_pending", "certificate.approve"]
    call_command("verify_audit_log")
    assert "intact" in capsys.readouterr().out


def test_tampered_entry_is_named_by_verify_audit_log(db):
    for n in range(5):
        audit_append(action="x", actor_id=None, data={"n": n})
    _tamper(3, data={"n": 999})
    checked, problem = audit_verify()
    assert checked == 2
    assert problem.seq == 3
    with pytest.raises(SystemExit):
        call_command("verify_audit_log")


def test_deleted_entry_is_detected(db):
    for n in range(4):
        audit_append(action="x", actor_id=None, data={"n": n})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        AuditEntry.objects.filter(seq=2).delete()
    assert audit_verify()[1].seq == 2


@requires_postgres
def test_postgres_refuses_update_and_delete_of_audit_entries(db):
    entry = audit_append(action="x", actor_id=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="y")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "x"
