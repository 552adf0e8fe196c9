"""On PostgreSQL an application's history refuses UPDATE and DELETE (append-only in
the database, as the registry's audit log). TRUNCATE stays allowed: test databases
are flushed with it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION skilltests_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'skill-test application history is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS skilltests_event_append_only ON skilltests_applicationevent;
CREATE TRIGGER skilltests_event_append_only
  BEFORE UPDATE OR DELETE ON skilltests_applicationevent
  FOR EACH ROW EXECUTE FUNCTION skilltests_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS skilltests_event_append_only ON skilltests_applicationevent;
DROP FUNCTION IF EXISTS skilltests_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("skilltests", "0002_load_test_centres")]
    operations = [migrations.RunPython(forwards, backwards)]
