"""Reads other apps need about users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lms.accounts.data import (
    AccountIdentityData,
    DirectorateData,
    NationalIdClaimData,
    NotificationSettingsData,
    SignatoryData,
    StaffScope,
)
from lms.accounts.models import ClaimState, Directorate, NationalIdClaim, User
from lms.accounts.national_id import mask_national_id_public, normalize_national_id
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Forbidden

HEAD_OFFICE_SCOPE = StaffScope(head_office=True, governorate_codes=frozenset())


def national_id_for_viewer(*, national_id: str | None, viewer: Any) -> str:
    """The full ID for ministry staff; for anyone else the last four digits only
    (mask_national_id_public): a trainee or an assessor has no use for another
    person's birth date or governorate."""
    if not national_id:
        return ""
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        return national_id
    return mask_national_id_public(national_id)


def user_has_disability_expression(*, via: str) -> Coalesce:
    """An ORM expression for statistics: whether the account reached through the
    foreign key `via` declared a disability (no account counts as no)."""
    return Coalesce(
        F(f"{via}__has_disability"), Value(False), output_field=BooleanField()
    )


def staff_scope(*, user_id: int | None) -> StaffScope:
    """The boundary every staff list, export, API answer and statistic is scoped by:
    the head office sees all, a directorate its governorate only.

    Refuses (Forbidden) anyone who is not active ministry staff (code
    ``not_staff``) and staff not yet assigned to a directorate (``no_directorate``).
    Superusers see all. One query.
    """
    user = None
    if user_id is not None:
        user = (
            User.objects.select_related("directorate")
            .filter(pk=user_id, is_active=True)
            .annotate(
                is_ministry_staff=Exists(
                    User.groups.through.objects.filter(
                        user_id=OuterRef("pk"), group__name=Role.MINISTRY_STAFF
                    )
                )
            )
            .first()
        )
    if user is None or not (user.is_superuser or user.is_ministry_staff):
        raise Forbidden(_("Only ministry staff may do this."), code="not_staff")
    if user.is_superuser:
        return HEAD_OFFICE_SCOPE
    directorate = user.directorate
    if directorate is None:
        raise Forbidden(
            _(
                "Your account is not assigned to a directorate yet: "
                "ask an administrator to assign it."
            ),
            code="no_directorate",
        )
    if directorate.is_head_office:
        return HEAD_OFFICE_SCOPE
    return StaffScope(
        head_office=False, governorate_codes=frozenset({directorate.governorate_code})
    )


def directorate_of(*, user_id: int | None) -> DirectorateData | None:
    """The directorate a staff account belongs to (None: none assigned)."""
    if user_id is None:
        return None
    directorate = Directorate.objects.filter(staff_accounts__pk=user_id).first()
    return directorate.as_data() if directorate else None


def directorate_list() -> list[DirectorateData]:
    """The head office first, then every governorate's directorate by code."""
    return [d.as_data() for d in Directorate.objects.all()]


def user_id_by_username(*, username: str) -> int | None:
    """The id of the account with this username (a trainee's mobile number), if any."""
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


def claim_data(claim: NationalIdClaim) -> NationalIdClaimData:
    user = claim.user
    return NationalIdClaimData(
        id=claim.pk,
        user_id=claim.user_id,
        username=user.username,
        full_name_ar=user.full_name_ar,
        national_id=claim.national_id,
        governorate_code=claim.governorate_code,
        state=claim.state,
        method=claim.method,
        decided_by_id=claim.decided_by_id,
        decided_at=claim.decided_at,
        created_at=claim.created_at,
    )


def national_id_verified_for(*, user_id: int | None) -> str | None:
    """The national ID this account's verified claim proves, or None (no claim, or
    claimed/contested/rejected): what the registry shows pre-existing certificates
    by. One query."""
    if user_id is None:
        return None
    return (
        NationalIdClaim.objects.filter(user_id=user_id, state=ClaimState.VERIFIED)
        .values_list("national_id", flat=True)
        .first()
    )


def national_id_verified_holder(*, national_id: str | None) -> int | None:
    """The account whose verified claim proves this national ID (at most one), or
    None: the one that sees the ID's certificates besides their holders. One
    query."""
    if not national_id:
        return None
    return (
        NationalIdClaim.objects.filter(
            national_id=national_id, state=ClaimState.VERIFIED
        )
        .values_list("user_id", flat=True)
        .first()
    )


def national_id_claim_get(*, user_id: int) -> NationalIdClaimData | None:
    """The account's claim as its owner sees it (None: the account claims no ID)."""
    claim = NationalIdClaim.objects.select_related("user").filter(user_id=user_id)
    found = claim.first()
    return claim_data(found) if found else None


def _claims_in_scope(staff_id: int) -> QuerySet[NationalIdClaim]:
    scope = staff_scope(user_id=staff_id)
    qs = NationalIdClaim.objects.select_related("user")
    if not scope.head_office:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    return qs


def national_id_claims_for_staff(
    *, staff_id: int, national_id: str = "", username: str = "", limit: int = 100
) -> list[NationalIdClaimData]:
    """Claims in the staff member's directorate: waiting ones (contested first, then
    oldest), or every claim matching a national ID or a username / mobile number
    typed in a form. Forbidden for anyone but ministry staff (staff_scope)."""
    qs = _claims_in_scope(staff_id)
    nid = normalize_national_id(national_id) if national_id else ""
    if nid or username:
        if nid:
            qs = qs.filter(national_id=nid)
        if username:
            qs = qs.filter(user__username=username.strip())
        qs = qs.order_by("national_id", "created_at")
    else:
        qs = qs.filter(state__in=(ClaimState.CLAIMED, ClaimState.CONTESTED)).order_by(
            "-state", "created_at"
        )
    return [claim_data(c) for c in qs[:limit]]


def national_id_claims_open_count(*, staff_id: int) -> int:
    """How many claims wait for a decision in the staff member's directorate (the
    workplace badge); 0 for anyone outside the scope rules."""
    try:
        qs = _claims_in_scope(staff_id)
    except Forbidden:
        return 0
    return qs.filter(state__in=(ClaimState.CLAIMED, ClaimState.CONTESTED)).count()


def account_identities(
    *, national_ids: Iterable[str]
) -> dict[str, AccountIdentityData]:
    """The name and birth date of the accounts holding these national IDs (one query;
    IDs without an account are absent): the registry's import compares them, ten
    thousand at a time (on PostgreSQL as one array parameter, not 10,000 IN
    placeholders)."""
    ids = list(national_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT national_id, full_name_ar, birth_date FROM "
                f"{User._meta.db_table} WHERE national_id = ANY(%s)",
                [ids],
            )
            rows = cursor.fetchall()
    else:
        rows = list(
            User.objects.filter(national_id__in=ids).values_list(
                "national_id", "full_name_ar", "birth_date"
            )
        )
    return {
        nid: AccountIdentityData(nid, name, born) for nid, name, born in rows if nid
    }


def user_display_names(*, user_ids: Iterable[int]) -> dict[int, str]:
    """Names to show for accounts named by id (an audit log's actors), one query."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}


def signatory_of(*, user_id: int | None) -> SignatoryData | None:
    """The approver a certificate names: name and job title (None: no account)."""
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return None
    return SignatoryData(
        name_ar=user.full_name_ar or user.display_name,
        name_en=user.full_name_en or user.get_full_name() or user.display_name,
        title_ar=user.job_title_ar,
        title_en=user.job_title_en,
    )


def notification_settings_get(*, user_id: int) -> NotificationSettingsData:
    """The account's notice settings (the settings page reads them)."""
    user = User.objects.only(
        "notification_channel", "preferred_language", "phone", "email"
    ).get(pk=user_id)
    return NotificationSettingsData(
        channel=user.notification_channel,
        language=user.preferred_language,
        has_phone=bool(user.phone),
        has_email=bool(user.email),
    )
