"""The kernel's tables: cache generations (lms/kernel/generations.py) and the
notifications' outbox (lms/kernel/notifications)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheGeneration(models.Model):
    """A counter in the database that names a cache's current key space: bumping it
    abandons every entry cached before, wherever the cache lives."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Notification(models.Model):
    """The outbox: one notice for one person (lms/kernel/notifications).

    `channel` is decided when the notice is written (the person's choice; empty: shown
    on the site only). A worker claims a pending row (`claim_token`, `claimed_at`)
    before sending; a claim older than NOTIFICATIONS_STALE_AFTER_S is a killed worker's
    and the sweep hands the row out again. `next_attempt_at` holds a retry back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        SITE_ONLY = "site_only", _("Shown here only")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    # The provider's message id (an SMS gateway's sid, an e-mail's Message-ID).
    provider_ref = models.CharField(max_length=200, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["status", "created_at"],
                name="notification_pending",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} ({self.status})"
