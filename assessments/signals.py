"""File clean-up: a deleted evidence photo (or practical test) takes its private
file with it, once the deletion commits (any code path, cascades included)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessments.models import PracticalEvidence


@receiver(post_delete, sender=PracticalEvidence, dispatch_uid="evidence_photo_file")
def delete_evidence_file(sender, instance: PracticalEvidence, **kwargs) -> None:
    name, storage = instance.image.name, instance.image.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
