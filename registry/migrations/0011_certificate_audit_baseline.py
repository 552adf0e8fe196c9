"""Certificates written before rows were bound to the audit chain get one baseline
entry that records their state (a stamp, their count and digest sum), so
verify_audit_log can check them from now on like any batch."""

import json

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from registry.audit import GENESIS_HASH, canonical_json, entry_hash
    from registry.audit_state import STATE_FIELDS, RowSet, new_stamp, state_digest_of

    Certificate = apps.get_model("registry", "Certificate")
    AuditEntry = apps.get_model("registry", "AuditEntry")
    unbound = Certificate.objects.filter(audit_ref="")
    if not unbound.exists():
        return
    stamp, rows = new_stamp(), RowSet()
    for values in unbound.values_list(*STATE_FIELDS).iterator(chunk_size=5000):
        rows.add(state_digest_of(values))
    unbound.update(audit_ref=stamp)
    last = AuditEntry.objects.order_by("-seq").first()
    data = {"state": {"stamp": stamp, "status": "", **rows.as_json()}, "replaces": {}}
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        created_at=timezone.now(),
        actor_id=None,
        action="certificate.baseline",
        object_ref="",
        data=json.loads(canonical_json(data)),
        prev_hash=last.entry_hash if last else GENESIS_HASH,
    )
    entry.entry_hash = entry_hash(entry.prev_hash, entry)
    entry.save(force_insert=True)


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_certificate_audit_ref")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
