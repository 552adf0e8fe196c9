"""The pipeline as a job: ingest, task, progress, publish, stale, cancel, retry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from lms.kernel.errors import Conflict, Invalid, NotFound
from media_pipeline import ffmpeg_ops, jobs, services, storage_ops
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import video_asset_get

pytestmark = pytest.mark.django_db


class SimulatedCrash(BaseException):
    """A worker killed mid-run: no except-Exception clean-up gets to run."""


def _files(asset_id: int) -> list[str]:
    return storage_ops.list_files(f"videos/assets/{asset_id}") + storage_ops.list_files(
        f"videos/incoming/{asset_id}"
    )


def test_ingest_publishes_ladder_audio_offline_and_poster(clips):
    data = services.video_asset_ingest(
        file_path=str(clips["av"]), title="Lesson 1", run_now=True
    )
    assert data.status == VideoAsset.Status.READY
    assert [r.height for r in data.renditions] == [240, 360]
    assert data.duration_s == pytest.approx(3.0, abs=0.1)
    asset = VideoAsset.objects.get(pk=data.id)
    for url_name in (
        "master.m3u8",
        "audio/index.m3u8",
        "poster.jpg",
        "offline-360p.mp4",
    ):
        assert default_storage.exists(f"{asset.output_prefix}/{url_name}")
    assert data.hls_master_url.endswith(f"{asset.output_prefix}/master.m3u8")
    assert data.audio_only_url.endswith("audio/index.m3u8")
    assert data.offline_size_bytes == default_storage.size(
        f"{asset.output_prefix}/offline-360p.mp4"
    )
    assert asset.progress_percent == 100 and asset.attempts == 1
    assert storage_ops.list_files(f"videos/incoming/{data.id}") == []


def test_a_silent_tiny_clip_gets_one_rendition_and_no_audio_only(clips):
    data = services.video_asset_ingest(
        file_path=str(clips["tiny"]), title="Silent", run_now=True
    )
    assert data.status == VideoAsset.Status.READY
    assert [r.height for r in data.renditions] == [144]
    assert data.audio_only_url is None
    assert data.hls_master_url


@pytest.mark.parametrize("clip", ["empty", "text", "cut", "audio"])
def test_ingest_refuses_a_bad_file_and_creates_nothing(clips, clip):
    with pytest.raises(Invalid) as err:
        services.video_asset_ingest(file_path=str(clips[clip]), title="x", run_now=True)
    assert err.value.code in ffmpeg_ops.REASONS and err.value.message
    assert VideoAsset.objects.count() == 0


def test_a_truncated_file_fails_with_a_reason_and_publishes_nothing(clips):
    data = services.video_asset_ingest(
        file_path=str(clips["cut_faststart"]), title="Cut", run_now=True
    )
    asset = VideoAsset.objects.get(pk=data.id)
    assert asset.status == VideoAsset.Status.FAILED
    assert asset.error_code in {"truncated", "ffmpeg_failed"}
    assert asset.error_message
    assert data.hls_master_url is None and data.poster_url is None
    assert _files(asset.pk) == []


def test_upload_enqueues_the_media_task_after_commit(
    clips, django_capture_on_commit_callbacks
):
    asset = VideoAsset(title="Queued")
    with clips["tiny"].open("rb") as fh:
        asset.original.save("q.mp4", fh_file(fh), save=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.video_asset_enqueue(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.UPLOADED and len(callbacks) == 1
    callbacks[0]()  # the commit happens: the (immediate) backend runs the task
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY


def fh_file(fh):
    from django.core.files import File

    return File(fh)


def _stored_asset(clip) -> VideoAsset:
    asset = VideoAsset(title="Stored")
    with clip.open("rb") as fh:
        asset.original.save(clip.name, fh_file(fh), save=True)
    return asset


def test_progress_is_stored_while_transcoding(clips, monkeypatch):
    asset = _stored_asset(clips["av"])
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    seen = []
    real_update = jobs._guarded_update

    def spy(asset_id, tok, **fields):
        real_update(asset_id, tok, **fields)
        row = VideoAsset.objects.get(pk=asset_id)
        seen.append((row.status, row.progress_percent, row.progress_speed))

    monkeypatch.setattr(jobs, "_guarded_update", spy)
    jobs.run_job(asset_id=asset.pk, job_token=token)
    transcoding = [s for s in seen if s[0] == VideoAsset.Status.TRANSCODING]
    percents = [p for _, p, _ in transcoding]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(speed for _, _, speed in transcoding)


def test_a_crash_mid_publish_leaves_nothing_visible_and_a_retry_starts_clean(
    clips, monkeypatch, django_capture_on_commit_callbacks
):
    asset = _stored_asset(clips["tiny"])
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    moved = []
    real_move = storage_ops.move_file

    def crash_after_three(src, dst, storage):
        if len(moved) == 3:
            raise SimulatedCrash
        real_move(src, dst, storage)
        moved.append(dst)

    monkeypatch.setattr(storage_ops, "move_file", crash_after_three)
    with pytest.raises(SimulatedCrash):
        jobs.run_job(asset_id=asset.pk, job_token=token)
    monkeypatch.undo()

    data = video_asset_get(asset_id=asset.pk)
    assert data.hls_master_url is None and data.offline_mp4_url is None
    leftovers = _files(asset.pk)
    assert leftovers and not any(n.endswith(".m3u8") for n in moved)
    crashed_prefix = jobs.final_prefix(asset.pk, token)

    VideoAsset.objects.filter(pk=asset.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.video_asset_requeue_stale() == [asset.pk]
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY and asset.attempts == 2
    files = _files(asset.pk)
    assert files and all(n.startswith(asset.output_prefix + "/") for n in files)
    assert not any(n.startswith(crashed_prefix) for n in files)


def test_stale_job_is_given_up_after_the_attempt_limit(clips, settings):
    settings.MEDIA_MAX_ATTEMPTS = 2
    asset = _stored_asset(clips["tiny"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.TRANSCODING,
        attempts=2,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert services.video_asset_requeue_stale() == []
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.FAILED and asset.error_code == "gave_up"


def test_a_job_with_a_recent_heartbeat_is_not_requeued(clips):
    asset = _stored_asset(clips["tiny"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.TRANSCODING, attempts=1, heartbeat_at=timezone.now()
    )
    assert services.video_asset_requeue_stale() == []
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.TRANSCODING


def test_cancel_during_transcode_stops_ffmpeg_and_publishes_nothing(clips, monkeypatch):
    asset = _stored_asset(clips["tiny"])
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    real_run = ffmpeg_ops.run

    def run_then_cancel(cmd, *, duration_s, on_progress, **options):
        def report(progress):
            services.video_asset_cancel(asset_id=asset.pk)
            on_progress(progress)

        return real_run(cmd, duration_s=duration_s, on_progress=report, **options)

    monkeypatch.setattr(ffmpeg_ops, "run", run_then_cancel)
    jobs.run_job(asset_id=asset.pk, job_token=token)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.CANCELLED
    assert asset.output_prefix == "" and _files(asset.pk) == []


def test_cancel_of_a_queued_job_makes_the_queued_task_a_no_op(clips):
    asset = _stored_asset(clips["tiny"])
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    services.video_asset_cancel(asset_id=asset.pk)
    jobs.run_job(asset_id=asset.pk, job_token=token)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.CANCELLED and asset.attempts == 0


def test_cancel_refuses_a_finished_video(clips):
    asset = _stored_asset(clips["tiny"])
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.READY)
    with pytest.raises(Conflict) as err:
        services.video_asset_cancel(asset_id=asset.pk)
    assert err.value.code == "not_running"


def test_retry_refuses_a_video_that_is_running(clips):
    asset = _stored_asset(clips["tiny"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.TRANSCODING, heartbeat_at=timezone.now()
    )
    with pytest.raises(Conflict) as err:
        services.video_asset_retry(asset_id=asset.pk)
    assert err.value.code == "running"


def test_retry_and_cancel_of_an_unknown_video_are_not_found():
    for action in (services.video_asset_retry, services.video_asset_cancel):
        with pytest.raises(NotFound) as err:
            action(asset_id=999_999)
        assert err.value.code == "asset_not_found"


def test_ffmpeg_failure_keeps_its_stderr_for_the_admin(clips, monkeypatch):
    asset = _stored_asset(clips["tiny"])
    real_build = ffmpeg_ops.build_command

    def broken(source, out, plan):
        cmd = real_build(source, out, plan)
        cmd[cmd.index("libx264")] = "no_such_encoder"
        return cmd

    monkeypatch.setattr(ffmpeg_ops, "build_command", broken)
    services.video_asset_retry(asset_id=asset.pk, run_now=True)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.FAILED
    assert asset.error_code == "ffmpeg_failed"
    assert "no_such_encoder" in asset.stderr_tail
    assert _files(asset.pk) == []


def test_retry_after_failure_publishes(clips):
    asset = _stored_asset(clips["tiny"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.FAILED, error_code="internal"
    )
    services.video_asset_retry(asset_id=asset.pk, run_now=True)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY and asset.error_code == ""


def test_deleting_an_asset_removes_its_files(clips, django_capture_on_commit_callbacks):
    data = services.video_asset_ingest(
        file_path=str(clips["tiny"]), title="Gone", run_now=True
    )
    original = VideoAsset.objects.get(pk=data.id).original
    assert original.storage.exists(original.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.video_asset_delete(asset_id=data.id)
    assert _files(data.id) == [] and not original.storage.exists(original.name)


def test_ingest_command_prints_id_status_and_renditions(clips, capsys):
    call_command("ingest_video", str(clips["tiny"]), "--title", "Batch")
    out = capsys.readouterr().out
    asset = VideoAsset.objects.get(title="Batch")
    assert f"asset {asset.pk}: ready" in out
    assert "144p" in out and "master playlist" in out


def test_ingest_command_refuses_a_text_file_with_one_line(clips):
    with pytest.raises(CommandError) as err:
        call_command("ingest_video", str(clips["text"]), "--title", "Bad")
    assert "\n" not in str(err.value) and "notes.mp4" in str(err.value)
    assert VideoAsset.objects.count() == 0


def test_ingest_command_refuses_a_missing_path():
    with pytest.raises(CommandError):
        call_command("ingest_video", "/nonexistent/video.mp4", "--title", "Bad")
