"""Background work: the paper-era import uploaded by ministry staff.

One run = one token (registry/import_runs.py): the run reads the upload through its
field's storage (private), works on copies in the job's scratch folder, and writes
progress, the rejection report and the result only while its token is the job's.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.dispatch import receiver
from django_tasks import task

from lms.kernel.tasks import enqueue
from registry import import_runs
from registry.import_runs import Superseded
from registry.importer import (
    ImportFileError,
    ImportResult,
    RejectionReport,
    import_file,
)
from registry.jobs import batch_approval_requested, import_run_requested
from registry.models import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)


def import_job_enqueue(*, job_id: int) -> str:
    """Run the job in the background once the current transaction commits."""
    return import_runs.import_job_enqueue(job_id=job_id)


def _counts(result: ImportResult, estimated: int) -> dict[str, int]:
    return {
        "total_rows": max(estimated, result.total),
        "processed_rows": result.total,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
    }


@receiver(import_run_requested)
def _enqueue_import_run(sender: Any, *, job_id: int, run_token: str, **_: Any) -> None:
    # A Redis outage is logged, not raised: the sweep re-enqueues a job never picked up.
    enqueue(import_job_run, job_id=job_id, run_token=run_token)


@receiver(batch_approval_requested)
def _enqueue_batch_approval(sender: Any, *, batch_id: int, **_: Any) -> None:
    # A Redis outage is logged, not raised: the sweep asks again for a lost run.
    enqueue(import_batch_approval_run, batch_id=batch_id)


@task()
def import_batch_approval_run(*, batch_id: int) -> None:
    """Issue a large batch a reviewer approved (registry.services.batch_approval)."""
    from registry.services import import_batch_approval_run as run

    outcome = run(batch_id=batch_id)
    logger.info("import batch %s approval: %s", batch_id, outcome)


@task()
def import_job_run(*, job_id: int, run_token: str = "") -> None:
    """Run the job if `run_token` is still its current run (else a no-op)."""
    job = import_runs.import_job_claim(job_id=job_id, token=run_token)
    if job is None:
        return
    scratch = import_runs.scratch_reset(job_id)
    try:
        _run(job, run_token, scratch)
    except Superseded:
        logger.warning("import job %s: run replaced, it wrote nothing more", job_id)
    except Exception:  # noqa: BLE001 - recorded on the job, retried
        logger.exception("import job %s failed; it is retried", job_id)
        _retry_or_leave_to_sweep(job_id, run_token)
    else:
        shutil.rmtree(scratch, ignore_errors=True)
        return
    # Another run may own the folder now: remove only this run's copies.
    for leftover in scratch.glob(f"{run_token}*"):
        leftover.unlink(missing_ok=True)


def _run(job: ImportJob, token: str, scratch: Path) -> None:
    name = job.file.name
    if not name or not job.file.storage.exists(name):
        import_runs.import_job_finish(
            job_id=job.pk,
            token=token,
            status=ImportJobStatus.FAILED,
            error=import_runs.FILE_GONE,
        )
        return
    local = scratch / f"{token}{Path(name).suffix.lower()}"
    with job.file.storage.open(name, "rb") as source, local.open("wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)

    def beat(result: ImportResult, estimated: int) -> None:
        import_runs.import_job_beat(
            job_id=job.pk, token=token, **_counts(result, estimated)
        )

    report = RejectionReport(scratch / f"{token}.rejections.csv")
    try:
        with report:
            result = import_file(
                local,
                actor_id=job.created_by_id,
                job_id=job.pk,
                name=job.original_name,
                on_progress=beat,
                on_rejection=report.add,
            )
    except ImportFileError as exc:
        import_runs.import_job_finish(
            job_id=job.pk, token=token, status=ImportJobStatus.FAILED, error=str(exc)
        )
        return
    report_name = _store_report(job, report) if report.rows else ""
    try:
        import_runs.import_job_finish(
            job_id=job.pk,
            token=token,
            status=ImportJobStatus.DONE,
            rejections=[r.as_dict() for r in result.rejections],
            rejection_report=report_name,
            **_counts(result, result.total),
        )
    except Superseded:
        if report_name:
            job.rejection_report.storage.delete(report_name)
        raise


def _store_report(job: ImportJob, report: RejectionReport) -> str:
    field = job.rejection_report
    with report.path.open("rb") as fh:
        return field.storage.save(
            field.field.generate_filename(job, f"import-{job.pk}-rejections.csv"),
            File(fh),
        )


def _retry_or_leave_to_sweep(job_id: int, token: str) -> None:
    """An unexpected error: run again at once while attempts remain, else fail."""
    from django.conf import settings

    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update()
                .filter(pk=job_id, run_token=token, status=ImportJobStatus.RUNNING)
                .first()
            )
            if job is None:
                return
            if job.attempts < settings.REGISTRY_IMPORT_MAX_ATTEMPTS:
                import_runs.import_job_enqueue(job_id=job_id)
                return
        import_runs.import_job_finish(
            job_id=job_id,
            token=token,
            status=ImportJobStatus.FAILED,
            error=import_runs.GAVE_UP.format(attempts=job.attempts),
        )
    except Exception:  # noqa: BLE001 - e.g. the database is down: the sweep retries
        logger.exception("import job %s: could not record the failure", job_id)
