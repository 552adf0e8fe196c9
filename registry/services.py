"""Registry use cases that write: create pending, approve, revoke, load occupations.

Every change is recorded in the hash-chained audit log inside the same transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.national_id import parse_national_id
from lms.accounts.roles import Role, user_has_role
from registry.audit import audit_append
from registry.cache import verification_cache_clear
from registry.data import CertificateData, certificate_data
from registry.models import (
    ApiClient,
    ApiScope,
    Certificate,
    CertificateSource,
    CertificateStatus,
    Occupation,
    SkillLevel,
)
from registry.serials import serial_generate

_SERIAL_ATTEMPTS = 5


def _user(user_id: int | None):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _resolve_level(level: str) -> SkillLevel:
    found = SkillLevel.objects.filter(code=level).first()
    if found is None:
        raise ValidationError(
            _("Unknown skill level “%(level)s”.") % {"level": level}, code="level"
        )
    return found


def _resolve_occupation(code: str) -> Occupation:
    found = Occupation.objects.filter(code=code).first()
    if found is None:
        raise ValidationError(
            _("Unknown occupation code “%(code)s”.") % {"code": code},
            code="occupation",
        )
    return found


def _audit_snapshot(cert: Certificate) -> dict:
    return {
        "serial": cert.serial,
        "status": cert.status,
        "national_id_sha256": _nid_digest(cert.national_id),
        "occupation": cert.occupation.code,
        "level": cert.skill_level.code,
        "issue_date": cert.issue_date.isoformat() if cert.issue_date else None,
        "source": cert.source,
    }


def _nid_digest(national_id: str) -> str:
    # The log proves which record changed without holding the ID itself.
    import hashlib

    return hashlib.sha256(national_id.encode()).hexdigest()


def certificate_create_pending(
    *,
    user_id: int | None,
    national_id: str,
    full_name_ar: str,
    full_name_en: str,
    occupation_code: str,
    level_code: str,
    source: str,
    evidence: dict,
    created_by_id: int | None,
    idempotency_key: str,
) -> CertificateData:
    """Record a certificate awaiting a ministry approver; a retry returns the same."""
    if not idempotency_key:
        raise ValidationError(_("An idempotency key is required."), code="idempotency")
    existing = _by_idempotency_key(idempotency_key)
    if existing is not None:
        return existing
    holder = parse_national_id(national_id)
    if not (full_name_ar or "").strip():
        raise ValidationError(_("The holder's Arabic name is required."), code="name")
    if source not in CertificateSource.values:
        raise ValidationError(
            _("Unknown certificate source “%(source)s”.") % {"source": source},
            code="source",
        )
    occupation = _resolve_occupation(occupation_code)
    level = _resolve_level(level_code)
    try:
        with transaction.atomic():
            cert = Certificate(
                national_id=holder.value,
                holder_id=user_id,
                full_name_ar=full_name_ar.strip(),
                full_name_en=(full_name_en or "").strip(),
                birth_date=holder.birth_date,
                gender=holder.gender,
                governorate_code=holder.governorate.code,
                issuing_directorate=holder.governorate.code,
                occupation=occupation,
                skill_level=level,
                source=source,
                evidence=evidence or {},
                status=CertificateStatus.PENDING,
                idempotency_key=idempotency_key,
                created_by_id=created_by_id,
            )
            _save_with_fresh_serial(cert)
            audit_append(
                action="certificate.create_pending",
                actor_id=created_by_id,
                object_ref=cert.serial,
                data=_audit_snapshot(cert),
            )
    except IntegrityError:
        # A concurrent retry with the same key won the race.
        existing = _by_idempotency_key(idempotency_key)
        if existing is None:
            raise
        return existing
    return certificate_data(cert)


def _by_idempotency_key(key: str) -> CertificateData | None:
    cert = (
        Certificate.objects.select_related("occupation", "skill_level")
        .filter(idempotency_key=key)
        .first()
    )
    return certificate_data(cert) if cert else None


def _save_with_fresh_serial(cert: Certificate) -> None:
    for _attempt in range(_SERIAL_ATTEMPTS):
        cert.serial = serial_generate()
        try:
            with transaction.atomic():
                cert.save(force_insert=True)
            return
        except IntegrityError:
            if not Certificate.objects.filter(serial=cert.serial).exists():
                raise
    raise IntegrityError("could not allocate a unique serial")


def _locked(certificate_id: int) -> Certificate:
    try:
        return (
            Certificate.objects.select_for_update()
            .select_related("occupation", "skill_level")
            .get(pk=certificate_id)
        )
    except Certificate.DoesNotExist:
        raise ValidationError(_("No such certificate."), code="not_found") from None


@transaction.atomic
def certificate_approve(*, certificate_id: int, approver_id: int) -> CertificateData:
    """Issue a pending certificate (maker-checker: approver ≠ creator, both staff)."""
    approver = _user(approver_id)
    if approver is None or not user_has_role(approver, Role.MINISTRY_STAFF):
        raise ValidationError(
            _("Only ministry staff can approve certificates."), code="not_staff"
        )
    cert = _locked(certificate_id)
    if cert.status != CertificateStatus.PENDING:
        raise ValidationError(
            _("Only a pending certificate can be approved; this one is %(status)s.")
            % {"status": cert.get_status_display()},
            code="not_pending",
        )
    if cert.created_by_id is not None and cert.created_by_id == approver.pk:
        raise ValidationError(
            _("You created this certificate; another staff member must approve it."),
            code="same_person",
        )
    cert.status = CertificateStatus.ISSUED
    cert.approved_by = approver
    cert.approved_at = timezone.now()
    cert.issue_date = timezone.localdate()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "This holder already has a certificate for this occupation and level "
                "issued today."
            ),
            code="duplicate",
        ) from None
    audit_append(
        action="certificate.approve",
        actor_id=approver.pk,
        object_ref=cert.serial,
        data=_audit_snapshot(cert),
    )
    verification_cache_clear(serial=cert.serial)
    transaction.on_commit(lambda: verification_cache_clear(serial=cert.serial))
    return certificate_data(cert)


def _may_revoke(actor) -> bool:
    if user_has_role(actor, Role.MINISTRY_STAFF):
        return True
    client = getattr(actor, "api_client", None)
    return bool(client and client.has_scope(ApiScope.REVOKE))


@transaction.atomic
def certificate_revoke(
    *, certificate_id: int, actor_id: int, reason: str
) -> CertificateData:
    """Revoke an issued certificate; verification shows it at once."""
    actor = _user(actor_id)
    if actor is None or not _may_revoke(actor):
        raise ValidationError(
            _("Only ministry staff can revoke certificates."), code="not_staff"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking."), code="reason")
    cert = _locked(certificate_id)
    if cert.status != CertificateStatus.ISSUED:
        raise ValidationError(
            _("Only an issued certificate can be revoked; this one is %(status)s.")
            % {"status": cert.get_status_display()},
            code="not_issued",
        )
    cert.status = CertificateStatus.REVOKED
    cert.revoked_by = actor
    cert.revoked_at = timezone.now()
    cert.revocation_reason = reason
    cert.save()
    audit_append(
        action="certificate.revoke",
        actor_id=actor.pk,
        object_ref=cert.serial,
        data={**_audit_snapshot(cert), "reason": reason},
    )
    # Now, and again after commit: a reader in between may have cached the old state.
    verification_cache_clear(serial=cert.serial)
    transaction.on_commit(lambda: verification_cache_clear(serial=cert.serial))
    return certificate_data(cert)


@transaction.atomic
def occupations_load_csv(*, path: Path, actor_id: int | None = None) -> dict[str, int]:
    """Insert or update occupations from a CSV shaped like data/occupations.csv."""
    from registry.reference_data import read_occupations

    try:
        rows = read_occupations(path)
    except (KeyError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _(
                "The occupations file needs the columns code, title_en and title_ar "
                "(UTF-8)."
            )
        ) from exc
    created = updated = 0
    for row in rows:
        code = row.pop("code")
        if not code or not row["title_ar"] or not row["title_en"]:
            raise ValidationError(
                _("Every occupation needs a code and Arabic and English titles.")
            )
        _obj, was_created = Occupation.objects.update_or_create(code=code, defaults=row)
        created += was_created
        updated += not was_created
    audit_append(
        action="occupation.load",
        actor_id=actor_id,
        object_ref=path.name,
        data={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}


@transaction.atomic
def api_client_create(*, name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """A service account for another system: (client, DRF token key)."""
    from rest_framework.authtoken.models import Token

    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ValidationError(
            _("Unknown scope(s): %(scopes)s") % {"scopes": ", ".join(sorted(unknown))}
        )
    user, _created = get_user_model().objects.get_or_create(
        username=f"api:{name}"[:150], defaults={"full_name_en": name}
    )
    user.set_unusable_password()
    user.save()
    client, _created = ApiClient.objects.update_or_create(
        name=name, defaults={"user": user, "scopes": sorted(set(scopes))}
    )
    token, _created = Token.objects.get_or_create(user=user)
    audit_append(
        action="api_client.save",
        actor_id=None,
        object_ref=name[:60],
        data={"scopes": client.scopes},
    )
    return client, token.key
