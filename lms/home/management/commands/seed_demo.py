"""Demo data for `make run`: users per role, trades, courses, question banks, a class.

Idempotent: running it again changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from lms.home.seeding import DEMO_PASSWORD, DEMO_USERS, run_seed_hooks, seed_users


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the demo credentials."

    def handle(self, *args, **options):
        seed_users(self.stdout)
        run_seed_hooks(self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ with:")
        )
        for demo in DEMO_USERS:
            where = f"  directorate {demo.directorate}" if demo.directorate else ""
            self.stdout.write(
                f"  {demo.role:<17} {demo.username:<12} {DEMO_PASSWORD}{where}"
            )
        if settings.ACCOUNTS_PHONE_VERIFICATION and settings.SMS_BACKEND == "file":
            self.stdout.write(
                "New trainees sign up at /accounts/signup/: the code the SMS brings "
                f"is in the newest file of {settings.SMS_FILE_PATH}"
            )
