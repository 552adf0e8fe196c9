"""Background work: the paper-era import uploaded by ministry staff."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from lms.kernel.tasks import enqueue_on_commit
from registry.importer import (
    ImportFileError,
    ImportResult,
    RejectionReport,
    import_file,
)
from registry.models import ImportJob, ImportJobStatus

PROGRESS_EVERY_ROWS = 10_000


def import_job_enqueue(*, job_id: int) -> None:
    enqueue_on_commit(import_job_run, job_id=job_id)


def _save_progress(job: ImportJob, result: ImportResult, estimated: int) -> None:
    job.total_rows = max(estimated, result.total)
    job.processed_rows = result.total
    job.inserted, job.updated = result.inserted, result.updated
    job.unchanged, job.rejected = result.unchanged, result.rejected
    job.save(
        update_fields=[
            "total_rows",
            "processed_rows",
            "inserted",
            "updated",
            "unchanged",
            "rejected",
        ]
    )


@task()
def import_job_run(*, job_id: int) -> None:
    """Run an import job once (a finished job is left alone, so retries are safe)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (ImportJobStatus.DONE, ImportJobStatus.RUNNING):
        return
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        with default_storage.open(job.file.name, "rb") as source:
            local = _local_copy(source, Path(job.file.name).suffix)
        report = RejectionReport(local.with_suffix(".rejections.csv"))
        try:
            with report:
                result = import_file(
                    local,
                    actor_id=job.created_by_id,
                    on_progress=lambda r, est: _save_progress(job, r, est),
                    on_rejection=report.add,
                )
            if report.rows:
                with report.path.open("rb") as fh:
                    job.rejection_report.save(
                        f"import-{job.pk}-rejections.csv", File(fh), save=False
                    )
        finally:
            local.unlink(missing_ok=True)
            report.path.unlink(missing_ok=True)
    except ImportFileError as exc:
        job.status, job.error = ImportJobStatus.FAILED, str(exc)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return
    _save_progress(job, result, result.total)
    job.rejections = [r.as_dict() for r in result.rejections]
    job.status = ImportJobStatus.DONE
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "rejections",
            "rejection_report",
            "status",
            "finished_at",
            "total_rows",
        ]
    )


def _local_copy(source, suffix: str) -> Path:
    """Object stores give streams; the readers want a file on disk."""
    import shutil
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as fh:
        shutil.copyfileobj(source, fh)
    return Path(fh.name)
