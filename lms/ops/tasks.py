"""The sweep: every periodic job of every app, then the worker's heartbeat."""

from __future__ import annotations

from django_tasks import task

from lms.ops.heartbeat import sweep_record
from lms.ops.periodic import periodic_jobs_run


@task()
def sweep() -> dict[str, str]:
    """Run the registered periodic jobs (each isolated) and record the heartbeat."""
    outcomes = periodic_jobs_run()
    sweep_record()
    return {outcome.name: outcome.state for outcome in outcomes}
