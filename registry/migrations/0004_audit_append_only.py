"""On PostgreSQL the audit log refuses UPDATE and DELETE (append-only in the database).

TRUNCATE stays allowed: test databases are flushed with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION registry_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'registry audit log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS registry_auditentry_append_only ON registry_auditentry;
CREATE TRIGGER registry_auditentry_append_only
  BEFORE UPDATE OR DELETE ON registry_auditentry
  FOR EACH ROW EXECUTE FUNCTION registry_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS registry_auditentry_append_only ON registry_auditentry;
DROP TRIGGER IF EXISTS registry_auditentry_no_truncate ON registry_auditentry;
DROP FUNCTION IF EXISTS registry_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_certificates")]
    operations = [migrations.RunPython(forwards, backwards)]
