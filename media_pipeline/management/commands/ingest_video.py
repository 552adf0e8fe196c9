"""`manage.py ingest_video PATH --title TITLE`: the whole pipeline, synchronously."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lms.kernel.errors import ServiceError
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import video_asset_progress_list
from media_pipeline.services import video_asset_ingest


class Command(BaseCommand):
    help = "Store a video file as an asset and transcode it now (batch loading)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the video file to ingest")
        parser.add_argument("--title", required=True, help="the asset's title")

    def handle(self, *args, path: str, title: str, **options) -> None:
        try:
            data = video_asset_ingest(file_path=path, title=title, run_now=True)
        except ServiceError as exc:
            raise CommandError(f"refused {path}: {exc.message}") from exc
        self.stdout.write(f"asset {data.id}: {data.status}")
        if data.status != VideoAsset.Status.READY:
            [run] = video_asset_progress_list(asset_ids=[data.id])
            raise CommandError(f"asset {data.id} {data.status}: {run.error}")
        for r in data.renditions:
            self.stdout.write(f"  {r.name}: {r.bandwidth // 1000} kbit/s {r.url}")
        if data.audio_only_url:
            self.stdout.write(f"  audio only: {data.audio_only_url}")
        size_kb = (data.offline_size_bytes or 0) // 1024
        self.stdout.write(f"  offline MP4: {size_kb} KB {data.offline_mp4_url}")
        self.stdout.write(f"  master playlist: {data.hls_master_url}")
