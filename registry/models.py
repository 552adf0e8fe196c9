"""The ministry registry's reference data: occupations and skill levels.

Certificates (issue, verify, revoke) build on these.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.kernel.private_files import UnguessableName, private_storage


class Occupation(models.Model):
    """A unit group of the unified occupation classification (ISCO-08 based)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    trade = models.SlugField(
        _("trade"),
        max_length=50,
        blank=True,
        help_text=_("The platform trade this occupation belongs to, if any."),
    )
    # No certificate of this occupation can be dated before it (issue 16).
    introduced_on = models.DateField(
        _("introduced on"),
        default=dt.date(1950, 1, 1),
        help_text=_("No certificate of this occupation is dated before this day."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_ar


class SkillLevel(models.Model):
    """A skill level: configuration (seeded from data), never hard-coded."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ar


class CertificateSource(models.TextChoices):
    PLATFORM_TEST = "platform_test", _("Platform skill test")
    IN_PERSON_TEST = "in_person_test", _("In-person skill test")
    PAPER_IMPORT = "paper_import", _("Paper-era record")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """A skill certificate in the ministry's registry.

    Maker-checker: created pending by one person (or system), issued by a ministry
    staff member who is not its creator. Holder details other than the name are
    derived from the national ID, which is never shown in full outside the ministry.
    """

    # Unique through registry_certificate_serial_unique (no LIKE index beside it).
    serial = models.CharField(_("serial number"), max_length=11)
    # Indexed through the leading column of registry_certificate_record_unique.
    national_id = models.CharField(_("national ID"), max_length=14)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        db_index=False,  # partial index below: imported records have no account
    )
    full_name_ar = models.CharField(_("full name (Arabic)"), max_length=150)
    full_name_en = models.CharField(
        _("full name (English)"), max_length=150, blank=True
    )
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=6)
    governorate_code = models.CharField(_("governorate"), max_length=2)
    # Fewer indexes keep bulk imports fast; the composite index below serves both.
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        db_index=False,
    )
    skill_level = models.ForeignKey(
        SkillLevel,
        verbose_name=_("skill level"),
        on_delete=models.PROTECT,
        db_index=False,
    )
    issuing_directorate = models.CharField(
        _("issuing directorate"), max_length=100, blank=True
    )
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CertificateSource.choices
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    legacy_number = models.CharField(_("paper-era number"), max_length=50, blank=True)
    # The import that wrote it (pending until a second person approves the batch).
    import_batch = models.ForeignKey(
        "registry.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    # Unique where set (partial): imported records have none, and a full index
    # would carry a million NULLs through every import.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    # Which audit entry last changed this row: its entry_hash, or for a row written
    # by a bulk batch the stamp that batch's entry records (registry/audit_state.py).
    # No index: verify_audit_log reads the table once, in order.
    audit_ref = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # The identity of a record for imports: re-running a file changes nothing.
            models.UniqueConstraint(
                fields=["national_id", "occupation", "skill_level", "issue_date"],
                name="registry_certificate_record_unique",
            ),
            models.UniqueConstraint(
                fields=["serial"], name="registry_certificate_serial_unique"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="registry_certificate_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | ~models.Q(revocation_reason=""),
                name="registry_certificate_revoked_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issue_date"]),
            # The API's date-range filter without a status (the one above cannot seek).
            models.Index(fields=["issue_date"], name="registry_certificate_issued"),
            models.Index(fields=["governorate_code", "status"]),
            models.Index(fields=["occupation", "skill_level"]),
            models.Index(
                fields=["holder"],
                condition=models.Q(holder__isnull=False),
                name="registry_certificate_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.serial_display

    @property
    def serial_display(self) -> str:
        from registry.serials import serial_display

        return serial_display(self.serial)


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log.

    `entry_hash` = SHA-256(previous entry's hash + canonical JSON of this entry), so
    altering, removing or reordering any row breaks every hash after it. On
    PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=40)
    object_ref = models.CharField(max_length=60, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_ref}"


class ApiScope(models.TextChoices):
    READ = "registry:read", _("Look up and list certificates")
    ISSUE = "registry:issue", _("Submit certificates for approval")
    REVOKE = "registry:revoke", _("Revoke certificates")
    STATS = "registry:stats", _("Read statistics")
    REPORTS = "reports:read", _("Read the platform's reports")
    SKILLTESTS = "skilltests:read", _("Read the skill-test service's figures")


class ApiClient(models.Model):
    """Another government system: a service user holding a DRF token, with scopes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_client"
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A paper-era import uploaded by ministry staff, run as a background task."""

    # Full national IDs: private storage, deleted when the job ends (retention).
    file = models.FileField(
        _("file"),
        upload_to=UnguessableName("registry/imports"),
        storage=private_storage,
        blank=True,
    )
    original_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True)  # the first ones, shown
    rejection_report = models.FileField(  # every rejected row, CSV to download
        upload_to=UnguessableName("registry/import-reports"),
        storage=private_storage,
        blank=True,
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The current run: only the run holding this token may write (a stale run that
    # wakes up after being replaced writes nothing). Beats with each progress save.
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "heartbeat_at"], name="registry_import_live_idx"
            )
        ]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    @property
    def percent(self) -> int:
        if self.status == ImportJobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


from registry.credential_models import (  # noqa: E402 - Django finds the models here
    CredentialRecord,
    SigningKey,
    StatusList,
)
from registry.review_models import (  # noqa: E402 - Django finds the models here
    ImportBatch,
    ImportBatchStatus,
    ImportConflict,
    ImportConflictKind,
    RevocationRequest,
    RevocationStatus,
)

__all__ = [
    "ApiClient",
    "ApiScope",
    "AuditEntry",
    "Certificate",
    "CertificateSource",
    "CredentialRecord",
    "CertificateStatus",
    "ImportBatch",
    "ImportBatchStatus",
    "ImportConflict",
    "ImportConflictKind",
    "ImportJob",
    "ImportJobStatus",
    "Occupation",
    "RevocationRequest",
    "RevocationStatus",
    "SigningKey",
    "SkillLevel",
    "StatusList",
]
