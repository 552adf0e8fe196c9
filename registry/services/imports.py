"""Paper-era imports uploaded by ministry staff: stored, then run in the background."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction

from registry import import_runs
from registry.converters import import_job_data
from registry.data import ImportJobData
from registry.models import ImportJob


@transaction.atomic
def import_job_create(
    *, file: File, original_name: str, created_by_id: int | None
) -> ImportJobData:
    """Store the upload (private storage) as a queued job; its run is enqueued once
    this commits (registry.tasks.import_job_run)."""
    job = ImportJob.objects.create(
        file=file, original_name=original_name[:255], created_by_id=created_by_id
    )
    import_runs.import_job_enqueue(job_id=job.pk)
    job.refresh_from_db()
    return import_job_data(job)
