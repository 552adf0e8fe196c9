"""Import jobs survive a killed worker: heartbeat, run token, requeue, give up, and
the import files (full national IDs) never outlive their job in any public place."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from registry import import_runs, tasks
from registry.importer import import_file
from registry.models import Certificate, ImportJob, ImportJobStatus
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db
HEADER = ["national_id", "full_name_ar", "occupation_code", "skill_level", "issue_date"]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _rows(n: int) -> list[list[str]]:
    return [
        [make_national_id(birth_date=dt.date(1970, 1, 1 + i % 28)), "وفاء", "7531", "1",
         "2001-01-01"]
        for i in range(n)
    ]  # fmt: skip


def _job(content: bytes, staff) -> ImportJob:
    job = ImportJob(original_name="paper.csv", created_by=staff)
    job.file.save("paper.csv", ContentFile(content), save=False)
    job.save()
    return job


def _run_enqueued(job, capture) -> None:
    with capture(execute=True):
        tasks.import_job_enqueue(job_id=job.pk)
    job.refresh_from_db()


def _make_stale(job, *, status=ImportJobStatus.RUNNING, attempts=1) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        attempts=attempts,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )


def test_a_run_stores_the_upload_privately_and_deletes_it_when_done(
    ministry_staff, settings, django_capture_on_commit_callbacks
):
    job = _job(_csv(_rows(3)), ministry_staff)
    stored = Path(job.file.path)
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert job.file.name.startswith("registry/imports/")
    assert "paper" not in job.file.name  # unguessable
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.csv"))
    _run_enqueued(job, django_capture_on_commit_callbacks)
    assert (job.status, job.inserted, job.attempts) == ("done", 3, 1)
    assert not job.file and not stored.exists()
    assert not import_runs.scratch_dir(job.pk).exists()


def test_a_failed_import_deletes_its_upload_too(
    ministry_staff, django_capture_on_commit_callbacks
):
    job = _job(b"\x00\xff\xfe not a csv", ministry_staff)
    stored = Path(job.file.path)
    _run_enqueued(job, django_capture_on_commit_callbacks)
    assert job.status == "failed" and job.error
    assert not stored.exists()


def test_with_a_retention_the_sweep_deletes_the_upload_later(
    ministry_staff, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRY_IMPORT_FILE_RETENTION_S = 3600
    job = _job(_csv(_rows(1)), ministry_staff)
    _run_enqueued(job, django_capture_on_commit_callbacks)
    assert job.status == "done" and Path(job.file.path).exists()
    assert import_runs.import_files_expire() == 0
    later = timezone.now() + dt.timedelta(hours=2)
    stored = Path(job.file.path)
    assert import_runs.import_files_expire(now=later) == 1
    job.refresh_from_db()
    assert not job.file and not stored.exists()


def test_rejection_reports_are_private_and_expire_after_their_days(
    client, ministry_staff, settings, django_capture_on_commit_callbacks
):
    job = _job(_csv([["x", "", "", "", ""]]), ministry_staff)
    _run_enqueued(job, django_capture_on_commit_callbacks)
    report = Path(job.rejection_report.path)
    assert report.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    client.force_login(ministry_staff)
    response = client.get(reverse("registry:import_rejections", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert (
        import_runs.import_files_expire(now=timezone.now() + dt.timedelta(days=29)) == 0
    )
    assert (
        import_runs.import_files_expire(now=timezone.now() + dt.timedelta(days=31)) == 1
    )
    assert not report.exists()


def test_a_stale_running_import_is_requeued_then_completes(
    ministry_staff, django_capture_on_commit_callbacks
):
    job = _job(_csv(_rows(4)), ministry_staff)
    tasks.import_job_enqueue(job_id=job.pk)  # the task was lost with its worker
    old_token = ImportJob.objects.get(pk=job.pk).run_token
    _make_stale(job)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_runs.import_jobs_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.inserted == 4
    assert job.attempts == 2 and job.run_token != old_token


def test_a_queued_import_whose_enqueue_was_lost_is_enqueued_again(
    ministry_staff, django_capture_on_commit_callbacks
):
    job = _job(_csv(_rows(2)), ministry_staff)
    tasks.import_job_enqueue(job_id=job.pk)  # on_commit never ran: Redis was down
    _make_stale(job, status=ImportJobStatus.QUEUED, attempts=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_runs.import_jobs_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.inserted, job.attempts) == ("done", 2, 1)


def test_a_live_import_is_not_requeued(ministry_staff):
    job = _job(_csv(_rows(1)), ministry_staff)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    assert import_runs.import_jobs_requeue_stale() == []


def test_an_import_that_keeps_dying_fails_with_a_reason_staff_can_act_on(
    ministry_staff, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRY_IMPORT_MAX_ATTEMPTS = 3
    job = _job(_csv(_rows(1)), ministry_staff)
    stored = Path(job.file.path)
    _make_stale(job, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_runs.import_jobs_requeue_stale() == []
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at
    assert "3 times" in job.error and "Upload the file again" in job.error
    assert not stored.exists()


def test_a_replaced_run_that_wakes_up_writes_nothing(
    ministry_staff, django_capture_on_commit_callbacks, monkeypatch
):
    job = _job(_csv(_rows(3)), ministry_staff)
    old = tasks.import_job_enqueue(job_id=job.pk)
    real_beat = import_runs.import_job_beat

    def replaced_while_running(**kwargs):
        # the sweep gave the job to a new run while this one was paused
        ImportJob.objects.filter(pk=job.pk).update(run_token="newer-run")
        return real_beat(**kwargs)

    monkeypatch.setattr(import_runs, "import_job_beat", replaced_while_running)
    tasks.import_job_run.call(job_id=job.pk, run_token=old)
    job.refresh_from_db()
    assert job.status == "running" and job.run_token == "newer-run"
    assert (job.processed_rows, job.inserted, job.finished_at) == (0, 0, None)
    assert not job.rejection_report


def test_a_superseded_or_duplicate_message_is_a_no_op(ministry_staff):
    job = _job(_csv(_rows(1)), ministry_staff)
    tasks.import_job_enqueue(job_id=job.pk)
    tasks.import_job_run.call(job_id=job.pk, run_token="not-the-current-run")
    tasks.import_job_run.call(job_id=job.pk)  # enqueued before runs had tokens
    job.refresh_from_db()
    assert job.status == "queued" and job.attempts == 0


def test_a_restarted_import_counts_rows_already_written_as_unchanged(
    ministry_staff, tmp_path
):
    """What makes a requeue safe: the importer upserts by record key."""
    path = tmp_path / "paper.csv"
    path.write_bytes(_csv(_rows(5)))
    first = import_file(path, actor_id=ministry_staff.pk)
    again = import_file(path, actor_id=ministry_staff.pk)
    assert (first.inserted, again.inserted, again.unchanged) == (5, 0, 5)
    assert Certificate.objects.count() == 5


def test_a_restart_wipes_the_dead_runs_scratch_copies(
    ministry_staff, django_capture_on_commit_callbacks
):
    job = _job(_csv(_rows(1)), ministry_staff)
    folder = import_runs.scratch_dir(job.pk)
    folder.mkdir(parents=True)
    (folder / "dead-run.csv").write_text("half a copy")
    _run_enqueued(job, django_capture_on_commit_callbacks)
    assert job.status == "done" and not folder.exists()


def test_the_sweep_removes_scratch_of_imports_that_are_not_running(ministry_staff):
    done = _job(_csv(_rows(1)), ministry_staff)
    running = _job(_csv(_rows(1)), ministry_staff)
    ImportJob.objects.filter(pk=done.pk).update(status=ImportJobStatus.DONE)
    ImportJob.objects.filter(pk=running.pk).update(status=ImportJobStatus.RUNNING)
    for job in (done, running):
        import_runs.scratch_reset(job.pk)
    assert import_runs.scratch_sweep(older_than_s=0) == 1
    assert not import_runs.scratch_dir(done.pk).exists()
    assert import_runs.scratch_dir(running.pk).exists()
