"""Benchmark: the media pipeline vs the equivalent hand-written single ffmpeg command.

Generates a ~10 s 720p clip, then alternately runs (a) the whole pipeline for an asset
(probe, one-run transcode with progress/heartbeat writes, upload to a temporary prefix,
atomic publish) and (b) the same ffmpeg work typed by hand as one command. Prints the
median wall time of each, their ratio (goal <= 1.05) and the real-time factor.
Uses the configured database (run after `make setup`) and a throwaway MEDIA_ROOT.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402

from media_pipeline import jobs, services  # noqa: E402
from media_pipeline.models import VideoAsset  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DURATION_S = 10
SEG = settings.MEDIA_HLS_SEGMENT_S
PRESET = settings.MEDIA_X264_PRESET


def make_clip(folder: Path) -> Path:
    clip = folder / "bench-720p.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={DURATION_S}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={DURATION_S}",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


def hand_written(clip: Path, out: Path) -> list[str]:
    """The pipeline's ffmpeg work, typed by hand (720p source with audio)."""
    out.mkdir(parents=True, exist_ok=True)
    graph = (
        "[0:v]split=7[v0][v1][v2][v3][v4][v5][v6];"
        "[v0]scale=-2:240[o0];[v1]scale=-2:360[o1];"
        "[v2]scale=-2:480[o2];[v3]scale=-2:720[o3];"
        "[0:a]asplit=6[a0][a1][a2][a3][a4][a5];"
        "[v4]scale=-2:360[off];"
        "[v5]trim=start=1.0,scale=-2:480[poster];"
        f"[v6]fps=10/{DURATION_S},scale=160:-2,tile=10x1[strip]"
    )
    x264 = ["-c:v", "libx264", "-preset", PRESET, "-profile:v", "main",
            "-pix_fmt", "yuv420p"]  # fmt: skip
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
           "-i", str(clip), "-filter_complex", graph]  # fmt: skip
    for i in range(4):
        cmd += ["-map", f"[o{i}]", "-map", f"[a{i}]"]
    keys = f"expr:gte(t,n_forced*{SEG})"
    cmd += ["-map", "[a4]", "-f", "hls", *x264, "-c:a", "aac", "-ac", "2",
            "-force_key_frames", keys, "-sc_threshold", "0"]  # fmt: skip
    for i, bps in enumerate((300_000, 600_000, 1_000_000, 2_000_000)):
        cmd += [f"-b:v:{i}", str(bps), f"-maxrate:v:{i}", str(int(bps * 1.2)),
                f"-bufsize:v:{i}", str(bps * 2), f"-b:a:{i}", "64000"]  # fmt: skip
    cmd += ["-b:a:4", "64000", "-hls_time", str(SEG), "-hls_playlist_type", "vod",
            "-hls_flags", "independent_segments",
            "-hls_segment_filename", str(out / "%v" / "seg_%04d.ts"),
            "-master_pl_name", "master.m3u8",
            "-var_stream_map",
            "v:0,a:0,name:240p v:1,a:1,name:360p v:2,a:2,name:480p "
            "v:3,a:3,name:720p a:4,name:audio",
            str(out / "%v" / "index.m3u8")]  # fmt: skip
    cmd += ["-map", "[off]", "-map", "[a5]", *x264, "-b:v", "450000",
            "-maxrate", "585000", "-bufsize", "900000", "-c:a", "aac",
            "-b:a", "64000", "-ac", "2", "-movflags", "+faststart",
            str(out / "offline-360p.mp4")]  # fmt: skip
    cmd += ["-map", "[poster]", "-frames:v", "1", "-q:v", "4", "-update", "1",
            str(out / "poster.jpg")]  # fmt: skip
    cmd += ["-map", "[strip]", "-frames:v", "1", "-q:v", "5", "-update", "1",
            str(out / "thumbnails.jpg")]  # fmt: skip
    return cmd


def run_pipeline(asset: VideoAsset) -> float:
    token = services.video_asset_enqueue(asset_id=asset.pk, run_now=True)
    started = time.perf_counter()
    jobs.run_job(asset_id=asset.pk, job_token=token)
    elapsed = time.perf_counter() - started
    asset.refresh_from_db()
    if asset.status != VideoAsset.Status.READY:
        raise SystemExit(f"pipeline failed: {asset.error_message}\n{asset.stderr_tail}")
    return elapsed


def run_hand(clip: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    cmd = hand_written(clip, out)
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp:
        folder = Path(tmp)
        settings.MEDIA_ROOT = str(folder / "media")
        clip = make_clip(folder)
        asset = VideoAsset(title="bench")
        with clip.open("rb") as fh:
            asset.original.save(clip.name, File(fh), save=True)
        pipeline_s, hand_s = [], []
        try:
            for _ in range(RUNS):
                hand_s.append(run_hand(clip, folder / "hand"))
                pipeline_s.append(run_pipeline(asset))
        finally:
            VideoAsset.objects.filter(pk=asset.pk).delete()
    p, h = statistics.median(pipeline_s), statistics.median(hand_s)
    print(f"clip: {DURATION_S} s 1280x720 + AAC; ladder 240/360/480/720 + audio-only")
    print(f"      + offline 360p MP4 + poster + strip; x264 {PRESET}, {SEG} s segments")
    print(f"runs: {RUNS} each, alternating")
    print(f"pipeline (probe+ffmpeg+publish): median {p:.2f} s  {sorted(pipeline_s)}")
    print(f"hand-written ffmpeg command:     median {h:.2f} s  {sorted(hand_s)}")
    print(f"ratio pipeline/hand: {p / h:.3f}  (goal <= 1.05)")
    best = min(pipeline_s) / min(hand_s)
    print(f"ratio of the best runs: {best:.3f}  (less sensitive to a busy machine)")
    print(f"real-time factor (pipeline): {DURATION_S / p:.2f}x real time")


if __name__ == "__main__":
    main()
