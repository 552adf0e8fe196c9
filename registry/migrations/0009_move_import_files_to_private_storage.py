"""Import files and rejection reports hold full national IDs: move any that are still
in the public media store into the private one (under unguessable names)."""

import logging
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db import migrations

logger = logging.getLogger(__name__)

FOLDERS = {"file": "registry/imports", "rejection_report": "registry/import-reports"}


def _move(public, private, name: str, folder: str) -> str:
    """The new private name, or "" when the public file is gone."""
    if not public.exists(name):
        return ""
    suffix = PurePosixPath(name).suffix.lower()[:10]
    with public.open(name, "rb") as fh:
        new_name = private.save(f"{folder}/{uuid.uuid4().hex}{suffix}", fh)
    public.delete(name)
    return new_name


def forwards(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    public, private = storages["default"], storages["private"]
    for job in ImportJob.objects.all().iterator():
        changed = []
        for field, folder in FOLDERS.items():
            name = getattr(job, field).name
            if not name or private.exists(name):
                continue
            try:
                setattr(job, field, _move(public, private, name, folder))
            except OSError:
                logger.exception("could not move import job %s %s", job.pk, field)
                continue
            changed.append(field)
        if changed:
            job.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_import_runs_private_files")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
