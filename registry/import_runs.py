"""The life of an import job's runs: enqueue, claim, heartbeat, finish, recover.

Every run holds the job's `run_token`; every write is guarded by it. The sweep (hook
`maharat_periodic`) gives a run whose heartbeat stopped a new token and enqueues it
again, so a worker killed mid-import costs a restart, not a job stuck "running"; the
old run, should it wake up, finds its token gone and writes nothing. A restart is
safe because the importer upserts by record key (rows already written count as
unchanged). Import files hold full national IDs: they are deleted when the job
ends, or after `REGISTRY_IMPORT_FILE_RETENTION_S` by the sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lms.kernel import scratch as kernel_scratch
from registry.jobs import import_run_request
from registry.models import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)

GAVE_UP = (
    "The import stopped {attempts} times without finishing (the task worker was "
    "restarted or ran out of memory). Upload the file again, split into smaller "
    "files, or ask the administrator to check the task worker. / توقف الاستيراد "
    "{attempts} مرات دون أن يكتمل (أُعيد تشغيل عامل المهام أو نفدت ذاكرته). ارفع "
    "الملف مرة أخرى مقسّمًا إلى ملفات أصغر، أو اطلب من المسؤول فحص عامل المهام."
)
FILE_GONE = (
    "The uploaded file is no longer stored; upload it again. / لم يعد الملف المرفوع "
    "محفوظًا؛ ارفعه مرة أخرى."
)


class Superseded(Exception):
    """This run's token is no longer the job's: another run owns it now."""


def _new_token() -> str:
    return uuid.uuid4().hex


def import_job_enqueue(*, job_id: int) -> str:
    """Give the job a fresh run token and enqueue its run once this commits."""
    token = _new_token()
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJobStatus.QUEUED, run_token=token, heartbeat_at=timezone.now()
    )
    import_run_request(job_id=job_id, run_token=token)
    return token


def import_job_claim(*, job_id: int, token: str) -> ImportJob | None:
    """Start the run holding `token`; None when it was superseded or already started."""
    if not token:
        return None  # enqueued before runs had tokens: the sweep enqueues it again
    claimed = ImportJob.objects.filter(
        pk=job_id, run_token=token, status=ImportJobStatus.QUEUED
    ).update(
        status=ImportJobStatus.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
        total_rows=0,
        processed_rows=0,
        inserted=0,
        updated=0,
        unchanged=0,
        rejected=0,
        error="",
    )
    if not claimed:
        return None  # superseded, or this message was delivered twice
    return ImportJob.objects.get(pk=job_id)


def import_job_beat(*, job_id: int, token: str, **fields) -> None:
    """Write run state and the heartbeat; raise Superseded if the run was replaced."""
    written = ImportJob.objects.filter(
        pk=job_id, run_token=token, status=ImportJobStatus.RUNNING
    ).update(heartbeat_at=timezone.now(), **fields)
    if not written:
        raise Superseded(job_id)


def import_job_finish(*, job_id: int, token: str, status: str, **fields) -> None:
    """End the run (done or failed); with retention 0 the upload is deleted now."""
    import_job_beat(
        job_id=job_id, token=token, status=status, finished_at=timezone.now(), **fields
    )
    if settings.REGISTRY_IMPORT_FILE_RETENTION_S <= 0:
        import_job_file_delete(job_id=job_id)


def import_job_file_delete(*, job_id: int) -> None:
    """Delete the uploaded file of a job that has ended (personal data)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.file.name:
        return
    if job.status not in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        return
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job_id).update(file="")


# --- recovery (periodic) --------------------------------------------------------------


def import_jobs_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Run again the jobs whose run stopped beating or whose enqueue was lost."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.REGISTRY_IMPORT_STALE_AFTER_S)
    live = (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
    candidates = ImportJob.objects.filter(status__in=live).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    requeued = []
    for job_id in list(candidates.values_list("pk", flat=True)):
        if _requeue_one(job_id, cutoff, now):
            requeued.append(job_id)
    return requeued


@transaction.atomic
def _requeue_one(job_id: int, cutoff: dt.datetime, now: dt.datetime) -> bool:
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    beat = job.heartbeat_at or job.created_at
    if job.status not in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING):
        return False
    if beat >= cutoff:
        return False  # it moved on while we looked
    if (
        job.status == ImportJobStatus.RUNNING
        and job.attempts >= settings.REGISTRY_IMPORT_MAX_ATTEMPTS
    ):
        job.status = ImportJobStatus.FAILED
        job.error = GAVE_UP.format(attempts=job.attempts)
        job.finished_at = now
        job.run_token = ""
        job.save(update_fields=["status", "error", "finished_at", "run_token"])
        if settings.REGISTRY_IMPORT_FILE_RETENTION_S <= 0:
            transaction.on_commit(lambda: import_job_file_delete(job_id=job_id))
        logger.warning("import job %s gave up after %s attempts", job_id, job.attempts)
        return False
    logger.warning("import job %s (%s) showed no life: requeued", job_id, job.status)
    import_job_enqueue(job_id=job_id)
    return True


def import_files_expire(*, now: dt.datetime | None = None) -> int:
    """Delete uploaded files and rejection reports that outlived their retention."""
    now = now or timezone.now()
    ended = ImportJob.objects.filter(
        status__in=(ImportJobStatus.DONE, ImportJobStatus.FAILED)
    )
    file_cutoff = now - dt.timedelta(seconds=settings.REGISTRY_IMPORT_FILE_RETENTION_S)
    count = 0
    for job in ended.exclude(file="").filter(finished_at__lte=file_cutoff):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    report_cutoff = now - dt.timedelta(
        days=settings.REGISTRY_IMPORT_REPORT_RETENTION_DAYS
    )
    for job in ended.exclude(rejection_report="").filter(finished_at__lt=report_cutoff):
        job.rejection_report.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(rejection_report="")
        count += 1
    return count


# --- scratch folders ------------------------------------------------------------------

SCRATCH_PREFIX = "import-"


def scratch_root() -> Path:
    return Path(settings.TASKS_SCRATCH_DIR or tempfile.gettempdir())


def scratch_dir(job_id: int) -> Path:
    """The job's scratch folder (local copies of the upload and of the report)."""
    return scratch_root() / f"{SCRATCH_PREFIX}{job_id}"


def scratch_reset(job_id: int) -> Path:
    """A fresh, empty scratch folder: a restarted run drops the dead run's copies."""
    folder = scratch_dir(job_id)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def scratch_sweep(*, older_than_s: float | None = None) -> int:
    """Remove scratch folders of jobs that are not running (dead runs' leftovers)."""
    if older_than_s is None:
        older_than_s = settings.REGISTRY_IMPORT_STALE_AFTER_S
    return kernel_scratch.scratch_sweep(
        root=scratch_root(),
        prefix=SCRATCH_PREFIX,
        running=lambda ids: ImportJob.objects.filter(
            pk__in=ids, status=ImportJobStatus.RUNNING
        ).values_list("pk", flat=True),
        older_than_s=older_than_s,
    )
