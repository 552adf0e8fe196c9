"""What accounts tell the personal pages (lms.kernel.personal_pages): a national ID
claim decides which certificates a trainee's dashboard lists (those recorded under
the ID show once the claim is verified), so any save or delete of a claim abandons
its account's kept pages after commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from lms.accounts.models import NationalIdClaim
from lms.kernel.personal_pages import user_state_changed


def _claim_changed(sender: Any, instance: NationalIdClaim, **kwargs: Any) -> None:
    user_state_changed(instance.user_id)


def connect() -> None:
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _claim_changed,
            sender=NationalIdClaim,
            dispatch_uid=f"personal_pages_claim_{uid}",
        )
