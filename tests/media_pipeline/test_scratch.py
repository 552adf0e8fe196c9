"""ffmpeg scratch lives in one folder per asset: wiped when a run claims the asset,
removed by the sweep when the asset is not running; a run killed at 95 % is run
again by the schedule and completes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files import File
from django.utils import timezone

from lms.ops.periodic import periodic_jobs_run
from media_pipeline import jobs, services
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _work_dir(settings, tmp_path):
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    (tmp_path / "work").mkdir()


def _asset(path) -> VideoAsset:
    asset = VideoAsset(title="Lesson")
    with path.open("rb") as fh:
        asset.original.save(path.name, File(fh), save=False)
    asset.save()
    return asset


def test_a_run_killed_at_95_percent_is_requeued_by_the_sweep_and_completes(
    clips, django_capture_on_commit_callbacks
):
    asset = _asset(clips["tiny"])
    dead_token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.TRANSCODING,
        attempts=1,
        progress_percent=95,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    leftover = jobs.scratch_dir(asset.pk) / dead_token / "out"
    leftover.mkdir(parents=True)
    (leftover / "segment_999.ts").write_bytes(b"half written")

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {o.name: o.state for o in periodic_jobs_run()}
    assert outcomes["media_pipeline.wagtail_hooks.media_requeue_stale_runs"] == "ok"
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY and asset.attempts == 2
    assert asset.job_token != dead_token and asset.progress_percent == 100
    assert not jobs.scratch_dir(asset.pk).exists()  # wiped at claim, released after


def test_the_sweep_removes_scratch_of_assets_that_are_not_running(clips):
    ready = _asset(clips["tiny"])
    running = _asset(clips["tiny"])
    VideoAsset.objects.filter(pk=ready.pk).update(status=VideoAsset.Status.READY)
    VideoAsset.objects.filter(pk=running.pk).update(
        status=VideoAsset.Status.TRANSCODING
    )
    for asset in (ready, running):
        (jobs.scratch_dir(asset.pk) / "token").mkdir(parents=True)
    assert jobs.scratch_sweep(older_than_s=0) == 1
    assert not jobs.scratch_dir(ready.pk).exists()
    assert jobs.scratch_dir(running.pk).exists()
    assert jobs.scratch_sweep() == 0  # young folders are kept (a run may be starting)


def test_a_run_that_fails_leaves_no_scratch(clips, monkeypatch):
    asset = _asset(clips["tiny"])
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "_publish", boom)
    jobs.run_job(asset_id=asset.pk, job_token=token)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.FAILED
    assert not jobs.scratch_dir(asset.pk).exists()
