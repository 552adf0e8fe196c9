"""The database backend's worker backs off while idle and is quick again after a task
(#19: the embedded worker used a share of a core while idle)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker as UpstreamWorker

from lms.ops.db_worker import BackoffWorker


def _worker(**overrides) -> BackoffWorker:
    options = {
        "queue_names": ["default"],
        "min_interval": 0.1,
        "max_interval": 1.0,
        "batch": False,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "w1",
        "excluded_queue_names": [],
    }
    options.update(overrides)
    return BackoffWorker(**options)


def test_each_empty_look_doubles_the_wait_up_to_the_maximum():
    worker = _worker()
    waits = [worker.interval for _ in range(7)]
    assert waits == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_a_task_brings_the_wait_back_to_the_minimum(monkeypatch):
    ran = []
    monkeypatch.setattr(UpstreamWorker, "run_task", lambda self, r: ran.append(r))
    worker = _worker()
    for _ in range(5):
        _ = worker.interval
    worker.run_task("task-1")
    assert ran == ["task-1"]
    assert [worker.interval, worker.interval] == [0.1, 0.2]


def test_a_maximum_below_the_minimum_means_a_fixed_wait():
    worker = _worker(min_interval=0.5, max_interval=0.1)
    assert [worker.interval for _ in range(3)] == [0.5, 0.5, 0.5]


def test_upstream_reads_the_wait_where_we_expect():
    """The back-off relies on upstream's loop reading `self.interval` once per
    empty look (before its sleep); fail loudly if a new release stops doing so."""
    import inspect

    source = inspect.getsource(UpstreamWorker.run)
    assert "time.sleep(self.interval)" in source
    assert "self.run_task(" in source
