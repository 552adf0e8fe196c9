"""Prove the audit log's hash chain is intact, or name the first broken entry."""

from django.core.management.base import BaseCommand

from registry.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the registry audit log's hash chain."

    def handle(self, *args, **options):
        checked, problem = audit_verify()
        if problem is None:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {checked} entries verified.")
            )
            return
        self.stderr.write(
            self.style.ERROR(
                f"Audit log broken at entry #{problem.seq}: {problem.reason} "
                f"({checked} entries before it verified)."
            )
        )
        raise SystemExit(1)
