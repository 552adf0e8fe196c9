"""Revocation by two people: one staff member (or another system holding the revoke
scope) asks with a reason, another confirms; the requester cannot confirm their own
request. Emergency path (setting REGISTRY_EMERGENCY_REVOCATION, off by default):
head-office staff may revoke alone with a reason, audited as an emergency."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from registry.audit import audit_append
from registry.converters import revocation_request_data
from registry.data import CertificateData, RevocationRequestData
from registry.models import (
    ApiScope,
    Certificate,
    CertificateStatus,
    RevocationRequest,
    RevocationStatus,
)
from registry.services.certificates import certificate_revoke_apply
from registry.services.scope import scope_check


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Give the reason for revoking."),
            code="reason",
            fields={"reason": [_("Give the reason for revoking.")]},
        )
    return reason


def _certificate(certificate_id: int) -> Certificate:
    cert = Certificate.objects.filter(pk=certificate_id).first()
    if cert is None:
        raise NotFound(_("No such certificate."), code="not_found")
    return cert


def _api_client_may_request(actor_id: int) -> bool:
    actor: Any = get_user_model().objects.filter(pk=actor_id, is_active=True).first()
    client = getattr(actor, "api_client", None) if actor else None
    return bool(client and client.has_scope(ApiScope.REVOKE))


@transaction.atomic
def revocation_request_create(
    *, certificate_id: int, actor_id: int, reason: str
) -> RevocationRequestData:
    """Ask for an issued certificate's revocation; another staff member confirms."""
    reason = _reason(reason)
    cert = _certificate(certificate_id)
    if not _api_client_may_request(actor_id):
        scope_check(actor_id=actor_id, governorate_code=cert.governorate_code)
    if cert.status != CertificateStatus.ISSUED:
        raise Conflict(
            _("Only an issued certificate can be revoked; this one is %(status)s.")
            % {"status": cert.get_status_display()},
            code="not_issued",
        )
    try:
        with transaction.atomic():
            request = RevocationRequest.objects.create(
                certificate=cert, reason=reason, requested_by_id=actor_id
            )
    except IntegrityError:
        raise Conflict(
            _("A revocation of this certificate is already awaiting confirmation."),
            code="already_requested",
        ) from None
    audit_append(
        action="certificate.revoke_request",
        actor_id=actor_id,
        object_ref=cert.serial,
        data={"serial": cert.serial, "request": request.pk, "reason": reason},
    )
    return revocation_request_data(request)


def _open_request(request_id: int) -> RevocationRequest:
    request = (
        RevocationRequest.objects.select_for_update()
        .select_related("certificate")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("No such revocation request."), code="not_found")
    if request.status != RevocationStatus.REQUESTED:
        raise Conflict(
            _("This request is no longer awaiting confirmation."), code="decided"
        )
    return request


@transaction.atomic
def revocation_request_confirm(*, request_id: int, actor_id: int) -> CertificateData:
    """A second staff member confirms: the certificate is revoked now."""
    request = _open_request(request_id)
    scope_check(
        actor_id=actor_id, governorate_code=request.certificate.governorate_code
    )
    if request.requested_by_id == actor_id:
        raise Forbidden(
            _("You asked for this revocation; another staff member must confirm it."),
            code="own_request",
        )
    revoked = certificate_revoke_apply(
        certificate_id=request.certificate_id,
        actor_id=actor_id,
        reason=request.reason,
        action="certificate.revoke",
        data={"request": request.pk, "requested_by": request.requested_by_id},
    )
    request.status = RevocationStatus.CONFIRMED
    request.decided_by_id = actor_id
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return revoked


@transaction.atomic
def revocation_request_cancel(*, request_id: int, actor_id: int) -> None:
    """Withdraw (the requester) or turn down (another staff member) a request."""
    request = _open_request(request_id)
    scope_check(
        actor_id=actor_id, governorate_code=request.certificate.governorate_code
    )
    request.status = RevocationStatus.CANCELLED
    request.decided_by_id = actor_id
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_append(
        action="certificate.revoke_cancel",
        actor_id=actor_id,
        object_ref=request.certificate.serial,
        data={"serial": request.certificate.serial, "request": request.pk},
    )


@transaction.atomic
def certificate_revoke_emergency(
    *, certificate_id: int, actor_id: int, reason: str
) -> CertificateData:
    """Head office alone, when the setting allows it; audited as an emergency."""
    reason = _reason(reason)
    if not settings.REGISTRY_EMERGENCY_REVOCATION:
        raise Forbidden(
            _("Emergency revocation is switched off: ask a colleague to confirm."),
            code="emergency_off",
        )
    cert = _certificate(certificate_id)
    scope = scope_check(actor_id=actor_id, governorate_code=cert.governorate_code)
    if not scope.head_office:
        raise Forbidden(
            _("Only head-office staff may revoke alone in an emergency."),
            code="not_head_office",
        )
    now = timezone.now()
    RevocationRequest.objects.filter(
        certificate_id=cert.pk, status=RevocationStatus.REQUESTED
    ).update(status=RevocationStatus.CANCELLED, decided_by_id=actor_id, decided_at=now)
    request = RevocationRequest.objects.create(
        certificate=cert,
        reason=reason,
        requested_by_id=actor_id,
        emergency=True,
        status=RevocationStatus.CONFIRMED,
        decided_by_id=actor_id,
        decided_at=now,
    )
    return certificate_revoke_apply(
        certificate_id=cert.pk,
        actor_id=actor_id,
        reason=reason,
        action="certificate.revoke_emergency",
        data={"request": request.pk, "emergency": True},
    )
