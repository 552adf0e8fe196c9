"""`manage.py media_requeue_stale`: retry media jobs whose worker stopped (cron it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from media_pipeline.services import video_asset_requeue_stale


class Command(BaseCommand):
    help = "Requeue video jobs with no heartbeat for MEDIA_STALE_AFTER_S seconds."

    def handle(self, *args, **options) -> None:
        ids = video_asset_requeue_stale()
        self.stdout.write(f"requeued {len(ids)} stale video job(s): {ids}")
