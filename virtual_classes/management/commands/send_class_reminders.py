"""E-mail a reminder before each class (run every few minutes from cron or a timer)."""

from django.core.management.base import BaseCommand

from virtual_classes.services import class_reminders_send


class Command(BaseCommand):
    help = "Send reminders for classes starting within --within minutes (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=60, help="minutes ahead")

    def handle(self, *args, within: int, **options):
        sent = class_reminders_send(within_min=within)
        for title, count in sent:
            self.stdout.write(f"{title}: {count} reminder(s) sent")
        if not sent:
            self.stdout.write("No class needs a reminder now.")
