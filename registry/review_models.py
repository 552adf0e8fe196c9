"""Two people for every change of trust: an import's batch of pending certificates
awaiting a second staff member's review, its conflicts, and revocation requests.

Imported by registry.models (Django finds the models there); references to the
certificate and the import job are by name, so this module imports nothing of the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatchStatus(models.TextChoices):
    OPEN = "open", _("Being imported")
    REVIEW = "review", _("Awaiting review")
    APPROVING = "approving", _("Being approved")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ImportBatch(models.Model):
    """The pending certificates one import wrote: nothing in it is valid until a
    staff member other than the uploader approves it (whole, or but for the rows
    they reject)."""

    job = models.OneToOneField(
        "registry.ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batch",
    )
    label = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10,
        choices=ImportBatchStatus.choices,
        default=ImportBatchStatus.OPEN,
    )
    # The uploader's directorate ('' for the head office): who may review it.
    governorate_code = models.CharField(max_length=2, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)  # pending certificates written
    conflicts_count = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    issued = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"


class ImportConflictKind(models.TextChoices):
    REGISTRY_NAME = "registry_name", _("Another name in the registry")
    REGISTRY_BIRTH = "registry_birth", _("Another birth date in the registry")
    ACCOUNT_NAME = "account_name", _("Another name on the holder's account")
    ACCOUNT_BIRTH = "account_birth", _("Another birth date on the holder's account")
    RECORD_DIFFERS = "record_differs", _("Already in the registry with other details")
    FILE_NAME = "file_name", _("Another name earlier in the file")


class ImportConflict(models.Model):
    """A row of a batch whose holder the registry or the holder's account knows
    otherwise: listed for the reviewer; the batch is not approved with it."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="conflicts"
    )
    certificate = models.ForeignKey(
        "registry.Certificate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    row = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=ImportConflictKind.choices)
    imported = models.CharField(max_length=150)  # the value in the file
    known = models.CharField(max_length=150)  # the value the registry/account holds
    known_ref = models.CharField(max_length=20, blank=True)  # e.g. the other serial

    class Meta:
        ordering = ["id"]
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")


class RevocationStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class RevocationRequest(models.Model):
    """A revocation asked for by one staff member with a reason, carried out only
    when another confirms it (or, when enabled, by head office alone: emergency)."""

    certificate = models.ForeignKey(
        "registry.Certificate",
        on_delete=models.CASCADE,
        related_name="revocation_requests",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        max_length=10,
        choices=RevocationStatus.choices,
        default=RevocationStatus.REQUESTED,
    )
    emergency = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("revocation request")
        verbose_name_plural = _("revocation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(status="requested"),
                name="registry_one_open_revocation_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="registry_revocation_has_reason"
            ),
        ]
