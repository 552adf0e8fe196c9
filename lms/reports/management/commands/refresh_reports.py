"""Refresh the report summary now, or enqueue it for the task worker."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lms.reports.services import facts_refresh
from lms.reports.tasks import refresh_reports


class Command(BaseCommand):
    help = "Recompute the statistics summary from every app's report_facts selector."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help="Recompute from this month on (YYYY-MM or YYYY-MM-DD); default: all.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the refresh to the task worker instead of running it here.",
        )

    def handle(self, *args, since=None, enqueue=False, **options):
        since_date = None
        if since:
            text = since if len(since) > 7 else f"{since}-01"
            try:
                since_date = dt.date.fromisoformat(text).replace(day=1)
            except ValueError:
                raise CommandError(
                    f"--since must be a month like 2026-01, not {since!r}."
                ) from None
        if enqueue:
            result = refresh_reports.enqueue(
                since=since_date.isoformat() if since_date else None
            )
            self.stdout.write(f"Refresh enqueued (task {result.id}).")
            return
        refresh = facts_refresh(since=since_date)
        self.stdout.write(
            f"Refreshed {refresh.rows} summary rows "
            f"in {(refresh.finished_at - refresh.started_at).total_seconds():.1f} s."
        )
        for error in refresh.errors:
            self.stderr.write(f"refused: {error}")
