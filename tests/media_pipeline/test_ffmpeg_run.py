"""A transcode beats while ffmpeg is quiet: ffmpeg 5.1 withholds every -progress
report until all its outputs have a header, and the thumbnail strip's comes near the
end, so a run that beat only on reports looked dead for most of its life (it was
declared stale, run again three times and given up)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.core.files import File

from media_pipeline import ffmpeg_ops, ffmpeg_run, jobs, services
from media_pipeline.ffmpeg_ops import Cancelled
from media_pipeline.models import VideoAsset

BEAT_S = 0.1


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory):
    """20 s with sound: long enough that ffmpeg runs for a while on any machine."""
    path = tmp_path_factory.mktemp("long") / "lecture.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-nostdin",
         "-f", "lavfi", "-i", "testsrc2=size=480x360:rate=25:duration=20",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=20",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


def _gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_written_seconds_count_the_complete_segments(tmp_path, clips):
    plan = ffmpeg_ops.plan_for(ffmpeg_ops.probe(clips["av"]), segment_s=1)
    assert ffmpeg_ops.hls_written_s(tmp_path, plan) == 0.0  # nothing yet
    rung = tmp_path / plan.renditions[0].name
    rung.mkdir()
    (rung / "seg_0000.ts").write_bytes(b"growing")
    assert ffmpeg_ops.hls_written_s(tmp_path, plan) == 0.0  # still being written
    for n in (1, 2):
        (rung / f"seg_{n:04d}.ts").write_bytes(b"x")
    (rung / "index.m3u8").write_text("#EXTM3U\n")
    assert ffmpeg_ops.hls_written_s(tmp_path, plan) == 2.0
    for n in range(3, 10):
        (rung / f"seg_{n:04d}.ts").write_bytes(b"x")
    assert ffmpeg_ops.hls_written_s(tmp_path, plan) == pytest.approx(plan.duration_s)


def test_a_silent_command_still_beats_and_a_cancel_from_a_beat_kills_it():
    calls: list[tuple[float, ffmpeg_run.Progress]] = []
    written = iter([0.0, 4.0, 8.0, 50.0, 60.0])

    def on_progress(progress):
        calls.append((time.monotonic(), progress))
        if len(calls) == 5:
            raise Cancelled

    started = time.monotonic()
    with pytest.raises(Cancelled):
        ffmpeg_run.run(
            [sys.executable, "-c", "import time; time.sleep(60)"],
            duration_s=30.0,
            on_progress=on_progress,
            written_s=lambda: next(written),
            beat_every_s=BEAT_S,
        )
    assert time.monotonic() - started < 10  # killed, not waited for
    progress = [p for _, p in calls]
    assert all(p.estimated and not p.done for p in progress)
    assert [p.out_time_s for p in progress] == [0.0, 4.0, 8.0, 30.0, 30.0]  # capped
    assert max(_gaps([started] + [t for t, _ in calls])) < 1.5


def test_the_asset_beats_and_progresses_while_ffmpeg_withholds_its_reports(
    db, long_clip, monkeypatch, settings
):
    settings.MEDIA_HLS_SEGMENT_S = 1
    monkeypatch.setattr(ffmpeg_run, "BEAT_EVERY_S", BEAT_S)
    asset = VideoAsset(title="Lecture")
    with long_clip.open("rb") as fh:
        asset.original.save(long_clip.name, File(fh), save=True)
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    reports: list[tuple[float, ffmpeg_run.Progress]] = []
    real_run = ffmpeg_ops.run

    def recording_run(cmd, *, on_progress, **options):
        def report(progress):
            reports.append((time.monotonic(), progress))
            on_progress(progress)

        return real_run(cmd, on_progress=report, **options)

    writes: list[tuple[float, float]] = []
    real_update = jobs._guarded_update

    def spy(asset_id, tok, **fields):
        real_update(asset_id, tok, **fields)
        row = VideoAsset.objects.get(pk=asset_id)
        if row.status == VideoAsset.Status.TRANSCODING:
            writes.append((row.heartbeat_at.timestamp(), row.progress_percent))

    monkeypatch.setattr(ffmpeg_ops, "run", recording_run)
    monkeypatch.setattr(jobs, "_guarded_update", spy)
    jobs.run_job(asset_id=asset.pk, job_token=token)

    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY
    first_block = next(t for t, p in reports if not p.estimated)
    quiet = [p for t, p in reports if t < first_block]
    assert quiet, "ffmpeg reported from the start (a newer ffmpeg?): see ffmpeg_run"
    # the row's heartbeat moved on every beat while ffmpeg said nothing...
    beats = [at for at, _ in writes]
    assert len(writes) >= len(quiet) and max(_gaps(beats)) < 1.5
    # ...and so did its progress, from the segments already written
    assert any(p.out_time_s > 0 for p in quiet)
    percents = [percent for _, percent in writes]
    assert percents == sorted(percents) and percents[-1] == 100
