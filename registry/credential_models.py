"""What the signed credentials rest on: every signing key ever used, each
certificate's place in a status list (and its identity salt), the signed lists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """An Ed25519 key the registry signs (or signed) with. The private half lives in
    settings (REGISTRY_SIGNING_KEY, the current one); the public half stays here, and
    in the DID document, for as long as anything it signed may be shown."""

    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    public_key_multibase = models.CharField(_("public key (multibase)"), max_length=64)
    created_at = models.DateTimeField(_("created"))
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    compromised_after = models.DateTimeField(
        _("compromised after"),
        null=True,
        blank=True,
        help_text=_("What this key signed after this time is refused."),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.key_id


class CredentialRecord(models.Model):
    """A certificate's credential facts that must not change between downloads: its
    index in a Bitstring Status List and the salt of its hashed national ID."""

    certificate = models.OneToOneField(
        "registry.Certificate",
        on_delete=models.CASCADE,
        related_name="credential_record",
    )
    status_list = models.PositiveIntegerField(_("status list"))
    status_index = models.PositiveIntegerField(_("status list index"))
    identity_salt = models.CharField(_("identity salt"), max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="registry_credential_status_slot",
            )
        ]
        verbose_name = _("credential record")
        verbose_name_plural = _("credential records")


class StatusList(models.Model):
    """A signed BitstringStatusListCredential as published (re-signed when one of its
    certificates is revoked, and by the periodic sweep)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    credential = models.JSONField(_("signed credential"))
    revoked_digest = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
