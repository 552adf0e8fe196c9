"""Prove the audit log intact, or name what was found: a broken link, an entry that
differs from a signed checkpoint, a chain shorter than one (tail deleted, table
truncated), a certificate row that no longer matches the entry that last changed it."""

from django.core.management.base import BaseCommand

from registry.audit_report import audit_full_verify


class Command(BaseCommand):
    help = (
        "Verify the registry audit log: its hash chain, the signed checkpoints kept "
        "outside the database, and every certificate row against its entry."
    )

    def handle(self, *args, **options):
        report = audit_full_verify()
        for line in report.problems:
            self.stderr.write(self.style.ERROR(line))
        if report.problems:
            self.stderr.write(
                self.style.ERROR(
                    f"Audit log NOT intact: {len(report.problems)} problem(s); "
                    f"{report.entries} entries and {report.certificates} "
                    "certificates read."
                )
            )
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {report.entries} entries verified, "
                f"{report.checkpoints} checkpoint(s) matched, "
                f"{report.certificates} certificates match their entries."
            )
        )
