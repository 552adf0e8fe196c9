"""Staff search by name at millions of rows (PostgreSQL): a trigram index over the
holder's names folded as lms.kernel.text folds Arabic (alef forms, ta marbuta, alef
maqsura, tashkeel and tatweel), so "احمد" finds "أحمد" through the index.

`maharat_fold` is IMMUTABLE so it can be indexed; registry.selectors.search queries
the same expression. SQLite (development, tests) folds with REPLACE and scans.
"""

from django.db import migrations

FOLD = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION maharat_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(translate(
    regexp_replace(value, '[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]', '', 'g'),
    'أإآٱةى', 'ااااهي'))
$$;
CREATE INDEX IF NOT EXISTS registry_certificate_name_fold
  ON registry_certificate
  USING gin (maharat_fold(full_name_ar || ' ' || full_name_en) gin_trgm_ops);
"""

UNFOLD = """
DROP INDEX IF EXISTS registry_certificate_name_fold;
DROP FUNCTION IF EXISTS maharat_fold(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOLD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNFOLD, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_certificate_audit_baseline")]
    operations = [migrations.RunPython(forwards, backwards)]
