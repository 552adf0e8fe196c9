"""Move the originals of videos and recordings stored so far (public /media/,
guessable names) into the private store under unguessable names. Row by row and
idempotent (see lms/kernel/private_migration.py); a missing original is reported and
left as it is. Stop the media workers while it runs (they read originals)."""

import sys

from django.core.files.storage import storages
from django.db import migrations

from lms.kernel.private_migration import move_field_files

FOLDER = "videos/originals"


def _note(message):
    sys.stdout.write(f"\n  {message}")


def forwards(apps, schema_editor):
    model = apps.get_model("media_pipeline", "VideoAsset")
    move_field_files(model, "original", FOLDER, note=_note)


def backwards(apps, schema_editor):
    model = apps.get_model("media_pipeline", "VideoAsset")
    move_field_files(
        model,
        "original",
        FOLDER,
        source=storages["private"],
        target=storages["default"],
        rename=False,
        note=_note,
    )


class Migration(migrations.Migration):
    # each row commits on its own: a long run cut short keeps what it moved
    atomic = False

    dependencies = [("media_pipeline", "0004_private_files")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
