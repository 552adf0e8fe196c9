"""Background work on the `media` queue; tasks take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task

from media_pipeline import jobs


@task(queue_name="media")
def process_video_asset(asset_id: int, job_token: str) -> None:
    """Probe, transcode and publish an asset; a stale token makes this a no-op."""
    jobs.run_job(asset_id=asset_id, job_token=job_token)
