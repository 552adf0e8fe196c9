"""Demo data for `seed_demo` when DEMO_VIDEOS is "clip" (the browser tests): one
short clip run through the real pipeline at once.

The clip is generated with ffmpeg's lavfi sources (a test pattern and a tone, a few
seconds), so no media file is shipped. Idempotent: an asset with the demo title that
is ready is kept; one left unfinished is run again. With DEMO_VIDEOS="narrated" (the
default) the trades' demonstration videos (courses' seed) are made instead.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from media_pipeline import services
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import DEMO_VIDEO_TITLE

DEMO_VIDEO_DURATION_S = 6
DEMO_CAPTIONS_AR = """WEBVTT

00:00:00.000 --> 00:00:03.000
هذه ماكينة الخياطة المنزلية.

00:00:03.000 --> 00:00:06.000
ابدأ دائماً بضبط الخيط العلوي.
"""


def _make_clip(path: Path) -> None:
    """A small 360p clip with a tone: enough for every rendition the phones pick."""
    seconds = str(DEMO_VIDEO_DURATION_S)
    subprocess.run(
        [
            settings.FFMPEG_BINARY, "-v", "error", "-y", "-nostdin",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=15:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip


def seed_demo_video(stdout) -> None:
    if settings.DEMO_VIDEOS != "clip":
        return  # the trades' narrated videos stand in for it (courses' seed)
    asset = VideoAsset.objects.filter(title=DEMO_VIDEO_TITLE).order_by("pk").first()
    if asset is not None and asset.status == VideoAsset.Status.READY:
        return
    if asset is not None:
        services.video_asset_retry(asset_id=asset.pk, run_now=True)
        asset_id = asset.pk
    else:
        with tempfile.TemporaryDirectory(prefix="maharat-demo-") as folder:
            clip = Path(folder) / "sewing-machine.mp4"
            _make_clip(clip)
            asset_id = services.video_asset_ingest(
                file_path=str(clip), title=DEMO_VIDEO_TITLE, run_now=True
            ).id
    services.caption_set(
        asset_id=asset_id,
        language="ar",
        label="العربية",
        file_name="sewing-machine.vtt",
        data=DEMO_CAPTIONS_AR.encode("utf-8"),
    )
    status = VideoAsset.objects.get(pk=asset_id).status
    stdout.write(f"media_pipeline: demo video {asset_id} ({status})")
