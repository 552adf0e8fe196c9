"""The sweep: every app's periodic job, each isolated, then the worker's heartbeat;
and the one worker command that runs it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail import hooks

from lms.ops import heartbeat, loop
from lms.ops.periodic import HOOK_NAME, job_name, periodic_jobs
from lms.ops.tasks import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.delete_many([heartbeat.LAST_SWEEP_KEY, heartbeat.ENQUEUE_LOCK_KEY])


def test_every_app_registers_its_recovery_jobs():
    names = {job_name(job) for job in periodic_jobs()}
    assert {
        "media_pipeline.wagtail_hooks.media_requeue_stale_runs",
        "media_pipeline.wagtail_hooks.media_scratch_sweep",
        "registry.wagtail_hooks.registry_imports_requeue_stale",
        "registry.wagtail_hooks.registry_import_files_expire",
        "registry.wagtail_hooks.registry_import_scratch_sweep",
        "assessments.wagtail_hooks.assessments_expire_overdue_attempts",
        "virtual_classes.wagtail_hooks.virtual_classes_send_due_reminders",
        "skilltests.wagtail_hooks.skilltests_send_reminders",
        "skilltests.wagtail_hooks.skilltests_release_cancelled_sessions",
    } <= names


def test_a_failing_periodic_job_is_logged_and_the_others_still_run(caplog):
    ran = []

    def broken():
        raise RuntimeError("boom")

    def after():
        ran.append("after")

    with hooks.register_temporarily(HOOK_NAME, broken, order=-100):
        with hooks.register_temporarily(HOOK_NAME, after, order=100):
            states = sweep.call()
    assert states[job_name(broken)] == "failed"
    assert states[job_name(after)] == "ok" and ran == ["after"]
    assert "periodic job" in caplog.text and "boom" in caplog.text
    assert heartbeat.sweep_is_recent()  # the sweep itself finished


def test_overdue_exam_attempts_are_submitted_by_the_sweep(monkeypatch):
    called = []
    monkeypatch.setattr(
        "assessments.services.attempts_expire_overdue", lambda: called.append(1) or 0
    )
    sweep.call()
    assert called == [1]


def test_one_sweep_is_enqueued_per_interval_across_worker_processes(
    settings, monkeypatch
):
    settings.TASKS_SWEEP_EVERY_S = 30
    enqueued = []
    monkeypatch.setattr(
        "lms.ops.tasks.sweep", SimpleNamespace(enqueue=lambda: enqueued.append(1))
    )
    assert loop.sweep_enqueue_once() is True
    assert loop.sweep_enqueue_once() is False  # another process, same interval
    assert enqueued == [1]
    cache.delete(heartbeat.ENQUEUE_LOCK_KEY)  # the lock's TTL ran out
    assert loop.sweep_enqueue_once() is True


def test_an_enqueue_failure_does_not_kill_the_loop(monkeypatch, caplog):
    def down():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("lms.ops.tasks.sweep", SimpleNamespace(enqueue=down))
    assert loop.sweep_enqueue_once() is False
    assert "could not enqueue the periodic sweep" in caplog.text


def test_the_loop_enqueues_at_start_and_stops_when_asked(monkeypatch):
    calls = []
    monkeypatch.setattr(loop, "sweep_enqueue_once", lambda: calls.append(1))
    thread = loop.SweepLoop(every_s=60)
    thread.start()
    thread.stop()
    thread.join(timeout=5)
    assert calls == [1] and not thread.is_alive() and thread.daemon


def test_task_worker_refuses_an_unknown_queue():
    with pytest.raises(CommandError, match="Unknown task queue"):
        call_command("task_worker", "--queues", "default,video")


def test_task_worker_refuses_a_backend_that_needs_no_worker():
    with pytest.raises(CommandError, match="without a worker"):
        call_command("task_worker", "--no-sweep", verbosity=0)


def test_task_worker_runs_db_worker_on_the_queues_asked(settings, monkeypatch):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "media"],
        }
    }
    seen = {}

    def fake(queues, **options):
        seen.update(queues=queues, **options)

    # the back-off worker (lms/ops/db_worker.py), never with the autoreloader
    monkeypatch.setattr("lms.ops.db_worker.db_worker_run", fake)
    call_command("task_worker", "--queues", "media", "--no-sweep", verbosity=0)
    assert seen["queues"] == ["media"] and seen["alias"] == "default"


def test_with_rq_task_worker_sets_the_job_class_and_the_scheduler(monkeypatch):
    seen = {}
    monkeypatch.setattr("lms.ops.workers.backend_kind", lambda alias="default": "rq")
    monkeypatch.setattr(
        "lms.ops.workers.call_command",
        lambda name, *args, **options: seen.update(name=name, args=args, **options),
    )
    call_command("task_worker", "--no-sweep", verbosity=0)
    assert seen["name"] == "rqworker" and seen["args"] == ("default", "media")
    assert seen["job_class"] == "django_tasks_rq.backend.Job"
    assert seen["with_scheduler"] is True
