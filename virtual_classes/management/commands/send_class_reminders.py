"""E-mail the reminders that are due.

Each class queues its own reminder task when it is scheduled (database queue or RQ);
this command is the fallback for deployments that run reminders from cron.
"""

from django.core.management.base import BaseCommand

from virtual_classes.services import REMINDER_MIN, class_reminders_send


class Command(BaseCommand):
    help = "Send reminders for classes starting within --within minutes (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within", type=int, default=REMINDER_MIN, help="minutes ahead"
        )

    def handle(self, *args, within: int, **options):
        sent = class_reminders_send(within_min=within)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.title}: {reminder.recipients} reminder(s) sent"
            )
        if not sent:
            self.stdout.write("No class needs a reminder now.")
