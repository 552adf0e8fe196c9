"""National-ID claims: opened at sign-up, verified by staff who saw the ID card or by
the identity provider, contested when a second account claims the same ID, resolved
by staff. Every change appends a ClaimEvent (who, what, when) in the same transaction.

Reached through lms.accounts.services (writes) and lms.accounts.selectors (reads).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.data import NationalIdClaimData
from lms.accounts.models import (
    ClaimEvent,
    ClaimMethod,
    ClaimState,
    NationalIdClaim,
    User,
)
from lms.accounts.national_id import parse_national_id
from lms.accounts.selectors import claim_data, staff_scope
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound

logger = logging.getLogger(__name__)

OPEN = (ClaimState.CLAIMED, ClaimState.CONTESTED)


def _record(claim: NationalIdClaim, action: str, actor_id: int | None = None) -> None:
    ClaimEvent.objects.create(
        claim=claim,
        action=action,
        state=claim.state,
        method=claim.method,
        actor_id=actor_id,
    )


def _others(claim: NationalIdClaim) -> list[NationalIdClaim]:
    """The other accounts' live claims to the same ID, locked."""
    return list(
        NationalIdClaim.objects.select_for_update()
        .filter(national_id=claim.national_id)
        .exclude(pk=claim.pk)
        .exclude(state=ClaimState.REJECTED)
        .select_related("user")
    )


def national_id_claim_open(*, user) -> NationalIdClaimData | None:
    """The account's national ID becomes a claim: `claimed`, or `contested` (with the
    other accounts' unverified claims) when another account claims it too. A verified
    claim stays verified: staff decide the contest."""
    if not user.national_id:
        return None
    with transaction.atomic():
        _lock_national_id(user.national_id)
        _claims_for_unclaimed_holders(user)
        others = list(
            NationalIdClaim.objects.select_for_update()
            .filter(national_id=user.national_id)
            .exclude(user=user)
            .exclude(state=ClaimState.REJECTED)
        )
        claim = NationalIdClaim.objects.create(
            user=user,
            national_id=user.national_id,
            governorate_code=user.governorate_code,
            state=ClaimState.CONTESTED if others else ClaimState.CLAIMED,
        )
        _record(claim, str(claim.state))
        for other in others:
            if other.state == ClaimState.CLAIMED:
                other.state = ClaimState.CONTESTED
                other.save(update_fields=["state"])
                _record(other, "contested")
    logger.info("national ID claim %s opened (%s)", claim.pk, claim.state)
    return claim_data(claim)


def _lock_national_id(national_id: str) -> None:
    """Two sign-ups with one ID at once: the second waits for the first's commit and
    then sees its claim (a PostgreSQL advisory lock until the transaction ends;
    SQLite serialises writers anyway)."""
    if connection.vendor != "postgresql":
        return
    key = int(hashlib.sha256(f"claim:{national_id}".encode()).hexdigest()[:15], 16)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _claims_for_unclaimed_holders(user) -> None:
    """Accounts given the ID without a sign-up (the admin, older data) claim it too,
    so a contest sees them."""
    holders = User.objects.filter(
        national_id=user.national_id, national_id_claim__isnull=True
    ).exclude(pk=user.pk)
    for holder in holders:
        claim = NationalIdClaim.objects.create(
            user=holder,
            national_id=holder.national_id,
            governorate_code=holder.governorate_code,
        )
        _record(claim, "claimed")


def _claim_for_staff(claim_id: int, staff_id: int) -> NationalIdClaim:
    scope = staff_scope(user_id=staff_id)
    claim = (
        NationalIdClaim.objects.select_for_update()
        .select_related("user")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound(_("There is no such identity claim."), code="unknown_claim")
    if not scope.covers(claim.governorate_code):
        raise Forbidden(
            _("This claim belongs to another directorate."), code="other_directorate"
        )
    if claim.user_id == staff_id:
        raise Forbidden(
            _("Another staff member must decide on your own claim."), code="own_claim"
        )
    return claim


def _verify(
    claim: NationalIdClaim, *, method: str, actor_id: int | None, subject: str = ""
) -> NationalIdClaimData:
    now = timezone.now()
    for other in _others(claim):
        _reject(other, actor_id=actor_id, now=now)
    claim.state = ClaimState.VERIFIED
    claim.method = method
    claim.decided_by_id = actor_id
    claim.decided_at = now
    claim.provider_subject = subject
    claim.save()
    if claim.user.national_id != claim.national_id:
        claim.user.national_id = claim.national_id
        claim.user.save()
    _record(claim, "verified", actor_id)
    logger.info("national ID claim %s verified (%s)", claim.pk, method)
    return claim_data(claim)


def _reject(claim: NationalIdClaim, *, actor_id: int | None, now) -> None:
    """The account loses the ID (its own courses' certificates stay its own)."""
    claim.state = ClaimState.REJECTED
    claim.method = ""
    claim.decided_by_id = actor_id
    claim.decided_at = now
    claim.save()
    user = claim.user
    if user.national_id == claim.national_id:
        user.national_id = None
        user.save()
    _record(claim, "rejected", actor_id)
    logger.info("national ID claim %s rejected", claim.pk)


@transaction.atomic
def national_id_claim_verify(*, claim_id: int, staff_id: int) -> NationalIdClaimData:
    """Ministry staff saw the ID card: the claim is verified (staff_card_check) and
    any other account's claim to the ID is rejected. Scoped to the staff member's
    directorate (the ID's governorate); nobody decides their own claim."""
    claim = _claim_for_staff(claim_id, staff_id)
    if claim.state == ClaimState.VERIFIED:
        return claim_data(claim)
    if claim.state == ClaimState.REJECTED:
        raise Conflict(
            _("This claim was rejected; the account must claim the ID again."),
            code="claim_rejected",
        )
    return _verify(claim, method=ClaimMethod.STAFF_CARD_CHECK, actor_id=staff_id)


@transaction.atomic
def national_id_claim_reject(*, claim_id: int, staff_id: int) -> NationalIdClaimData:
    """Staff reject a claim (not the holder): the account loses the ID; a contest
    left with one claim goes back to waiting for verification."""
    claim = _claim_for_staff(claim_id, staff_id)
    if claim.state != ClaimState.REJECTED:
        _reject(claim, actor_id=staff_id, now=timezone.now())
        remaining = [c for c in _others(claim) if c.state in OPEN]
        if len(remaining) == 1 and remaining[0].state == ClaimState.CONTESTED:
            remaining[0].state = ClaimState.CLAIMED
            remaining[0].save(update_fields=["state"])
            _record(remaining[0], "uncontested", staff_id)
    return claim_data(claim)


@transaction.atomic
def national_id_claim_verify_by_provider(
    *, user_id: int, national_id: str, subject: str
) -> NationalIdClaimData:
    """The identity provider vouched (a verified ID token) that this account's
    person holds `national_id`: the account's claim to that ID is verified and any
    other account's claim rejected. Refused when the account claims another ID."""
    try:
        nid = parse_national_id(national_id).value
    except ValidationError:
        raise Invalid(
            _("The identity provider sent no valid national ID."),
            code="provider_national_id",
        ) from None
    claim = (
        NationalIdClaim.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id)
        .first()
    )
    if claim is None or claim.national_id != nid:
        raise Conflict(
            _(
                "The identity provider confirms a different national ID than the "
                "one on your account. Visit your labour directorate with your ID card."
            ),
            code="provider_id_differs",
        )
    if claim.state == ClaimState.REJECTED:
        raise Conflict(
            _("This claim was rejected; visit your labour directorate."),
            code="claim_rejected",
        )
    if claim.state == ClaimState.VERIFIED:
        return claim_data(claim)
    return _verify(
        claim, method=ClaimMethod.IDENTITY_PROVIDER, actor_id=None, subject=subject
    )
