"""One certificate at a time: submit for approval, approve (maker-checker), revoke
(the two-person paths are in services.revocations).

Every change is recorded in the hash-chained audit log inside the same transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.national_id import parse_national_id
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.report_rows import report_facts_changed
from registry.audit import audit_append
from registry.audit_state import certificate_audit_bind, single_state, state_digest
from registry.cache import verification_cache_clear
from registry.converters import certificate_data
from registry.data import CertificateData
from registry.models import (
    Certificate,
    CertificateSource,
    CertificateStatus,
    Occupation,
    SkillLevel,
)
from registry.serials import serial_generate
from registry.services.scope import scope_check
from registry.status_list import status_list_certificate_revoked

_SERIAL_ATTEMPTS = 5


def _user(user_id: int | None) -> Any:
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _resolve_level(level: str) -> SkillLevel:
    found = SkillLevel.objects.filter(code=level).first()
    if found is None:
        raise Invalid(
            _("Unknown skill level “%(level)s”.") % {"level": level},
            code="level",
            fields={"level_code": [_("Unknown skill level.")]},
        )
    return found


def _resolve_occupation(code: str) -> Occupation:
    found = Occupation.objects.filter(code=code).first()
    if found is None:
        raise Invalid(
            _("Unknown occupation code “%(code)s”.") % {"code": code},
            code="occupation",
            fields={"occupation_code": [_("Unknown occupation code.")]},
        )
    return found


def _audit_record(
    cert: Certificate,
    *,
    action: str,
    actor_id: int | None,
    before: tuple[str, str],
    extra: dict[str, Any] | None = None,
) -> None:
    """Append the change's entry, with the state it set, and bind the row to it.

    `before` is the row's (audit_ref, state digest) as it was before the change."""
    entry = audit_append(
        action=action,
        actor_id=actor_id,
        object_ref=cert.serial,
        data={
            **_audit_snapshot(cert),
            **(extra or {}),
            **single_state(cert, previous_ref=before[0], previous_digest=before[1]),
        },
    )
    certificate_audit_bind(certificate_id=cert.pk, entry=entry)
    cert.audit_ref = entry.entry_hash


def _audit_snapshot(cert: Certificate) -> dict[str, Any]:
    return {
        "serial": cert.serial,
        "status": cert.status,
        # The log proves which record changed without holding the ID itself.
        "national_id_sha256": hashlib.sha256(cert.national_id.encode()).hexdigest(),
        "occupation": cert.occupation.code,
        "level": cert.skill_level.code,
        "issue_date": cert.issue_date.isoformat() if cert.issue_date else None,
        "source": cert.source,
    }


def certificate_submit(
    *,
    user_id: int | None,
    national_id: str,
    full_name_ar: str,
    full_name_en: str,
    occupation_code: str,
    level_code: str,
    source: str,
    evidence: dict[str, Any],
    created_by_id: int | None,
    idempotency_key: str,
) -> tuple[CertificateData, bool]:
    """Record a certificate awaiting a ministry approver: (certificate, created).

    A retry with the same key answers the first call's certificate and False, also
    when the two race: only the call whose insert commits answers True."""
    if not idempotency_key:
        raise Invalid(_("An idempotency key is required."), code="idempotency")
    existing = _by_idempotency_key(idempotency_key)
    if existing is not None:
        return existing, False
    try:
        holder = parse_national_id(national_id)
    except ValidationError as exc:
        raise Invalid(
            " ".join(exc.messages),
            code=exc.code or "national_id",
            fields={"national_id": exc.messages},
        ) from None
    if not (full_name_ar or "").strip():
        raise Invalid(
            _("The holder's Arabic name is required."),
            code="name",
            fields={"full_name_ar": [_("The holder's Arabic name is required.")]},
        )
    if source not in CertificateSource.values:
        raise Invalid(
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
            _audit_record(
                cert,
                action="certificate.create_pending",
                actor_id=created_by_id,
                before=("", ""),
            )
    except IntegrityError:
        # A concurrent call with the same key committed first: it created, not us.
        existing = _by_idempotency_key(idempotency_key)
        if existing is None:
            raise
        return existing, False
    return certificate_data(cert), True


def certificate_create_pending(
    *,
    user_id: int | None,
    national_id: str,
    full_name_ar: str,
    full_name_en: str,
    occupation_code: str,
    level_code: str,
    source: str,
    evidence: dict[str, Any],
    created_by_id: int | None,
    idempotency_key: str,
) -> CertificateData:
    """certificate_submit for callers that need only the certificate (the hand-off
    from assessments): idempotent by key all the same."""
    certificate, _created = certificate_submit(
        user_id=user_id,
        national_id=national_id,
        full_name_ar=full_name_ar,
        full_name_en=full_name_en,
        occupation_code=occupation_code,
        level_code=level_code,
        source=source,
        evidence=evidence,
        created_by_id=created_by_id,
        idempotency_key=idempotency_key,
    )
    return certificate


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
        raise NotFound(_("No such certificate."), code="not_found") from None


# Sent in the transaction that issues a pending certificate (the second person's
# approval), with `certificate_id`, `serial` and `user_id` (the holder's account, or
# None). Apps above (skilltests) mark their applications certified by it.
certificate_issued = Signal()


@transaction.atomic
def certificate_approve(*, certificate_id: int, approver_id: int) -> CertificateData:
    """Issue a pending certificate (maker-checker: approver ≠ creator, both staff)."""
    approver = _user(approver_id)
    if approver is None or not user_has_role(approver, Role.MINISTRY_STAFF):
        raise Forbidden(
            _("Only ministry staff can approve certificates."), code="not_staff"
        )
    cert = _locked(certificate_id)
    # Its directorate's staff (or the head office) approve it, wherever they ask from.
    scope_check(actor_id=approver.pk, governorate_code=cert.governorate_code)
    if cert.status != CertificateStatus.PENDING:
        raise Conflict(
            _("Only a pending certificate can be approved; this one is %(status)s.")
            % {"status": cert.get_status_display()},
            code="not_pending",
        )
    if cert.import_batch_id is not None:
        raise Conflict(
            _("This certificate came in an import: approve it with its batch."),
            code="in_import_batch",
        )
    if cert.created_by_id is not None and cert.created_by_id == approver.pk:
        raise Forbidden(
            _("You created this certificate; another staff member must approve it."),
            code="same_person",
        )
    before = (cert.audit_ref, state_digest(cert))
    cert.status = CertificateStatus.ISSUED
    cert.approved_by = approver
    cert.approved_at = timezone.now()
    cert.issue_date = timezone.localdate()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise Conflict(
            _(
                "This holder already has a certificate for this occupation and level "
                "issued today."
            ),
            code="duplicate",
        ) from None
    _audit_record(
        cert, action="certificate.approve", actor_id=approver.pk, before=before
    )
    verification_cache_clear(serial=cert.serial)
    transaction.on_commit(lambda: verification_cache_clear(serial=cert.serial))
    report_facts_changed(month=cert.issue_date)
    certificate_issued.send(
        sender=Certificate,
        certificate_id=cert.pk,
        serial=cert.serial,
        user_id=cert.holder_id,
    )
    return certificate_data(cert)


def certificate_revoke_apply(
    *, certificate_id: int, actor_id: int, reason: str, action: str, data: dict
) -> CertificateData:
    """Revoke an issued certificate now (verification shows it at once). Internal:
    callers are the two-person and emergency paths of services.revocations."""
    cert = _locked(certificate_id)
    if cert.status != CertificateStatus.ISSUED:
        raise Conflict(
            _("Only an issued certificate can be revoked; this one is %(status)s.")
            % {"status": cert.get_status_display()},
            code="not_issued",
        )
    before = (cert.audit_ref, state_digest(cert))
    cert.status = CertificateStatus.REVOKED
    cert.revoked_by_id = actor_id
    cert.revoked_at = timezone.now()
    cert.revocation_reason = reason
    cert.save()
    _audit_record(
        cert,
        action=action,
        actor_id=actor_id,
        before=before,
        extra={"reason": reason, **data},
    )
    # Now, and again after commit: a reader in between may have cached the old state.
    verification_cache_clear(serial=cert.serial)
    transaction.on_commit(lambda: verification_cache_clear(serial=cert.serial))
    # the Bitstring Status List its credentials point at, signed again
    transaction.on_commit(lambda: status_list_certificate_revoked(cert.pk))
    report_facts_changed(month=timezone.localdate())
    return certificate_data(cert)
