"""Move the evidence photos stored so far (public /media/, guessable names) into the
private store under unguessable names. Row by row and idempotent (see
lms/kernel/private_migration.py); a missing photo is reported and left as it is."""

import sys

from django.core.files.storage import storages
from django.db import migrations

from lms.kernel.private_migration import move_field_files

FOLDER = "assessments/evidence"


def _note(message):
    sys.stdout.write(f"\n  {message}")


def forwards(apps, schema_editor):
    model = apps.get_model("assessments", "PracticalEvidence")
    move_field_files(model, "image", FOLDER, note=_note)


def backwards(apps, schema_editor):
    model = apps.get_model("assessments", "PracticalEvidence")
    move_field_files(
        model,
        "image",
        FOLDER,
        source=storages["private"],
        target=storages["default"],
        rename=False,
        note=_note,
    )


class Migration(migrations.Migration):
    # each row commits on its own: a long run cut short keeps what it moved
    atomic = False

    dependencies = [("assessments", "0005_private_files")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
