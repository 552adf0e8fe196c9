"""A certificate as ministry staff open it: record, evidence, history, actions."""

from __future__ import annotations

from types import MappingProxyType

from django.db.models import Q
from django.utils.translation import gettext as _

from lms.accounts.selectors import staff_scope, user_display_names
from lms.kernel.errors import Forbidden, NotFound
from registry.converters import certificate_data
from registry.data import CertificateDetailData, HistoryEntryData
from registry.models import AuditEntry, Certificate, CertificateStatus
from registry.serials import InvalidSerial, serial_normalize

HISTORY_LIMIT = 200


def certificate_detail_for_staff(
    *, serial: str, viewer_id: int | None
) -> CertificateDetailData:
    """Ministry staff only (Forbidden otherwise); a certificate of another
    directorate is Forbidden (``outside_directorate``); an unknown serial NotFound."""
    scope = staff_scope(user_id=viewer_id)
    try:
        compact = serial_normalize(serial)
    except InvalidSerial:
        compact = ""
    cert = (
        Certificate.objects.select_related("occupation", "skill_level")
        .filter(serial=compact)
        .first()
        if compact
        else None
    )
    if cert is None:
        raise NotFound(_("No certificate has this serial number."), code="not_found")
    if not scope.covers(cert.governorate_code):
        raise Forbidden(
            _("This certificate belongs to another directorate's registry."),
            code="outside_directorate",
        )
    about = Q(object_ref=cert.serial)
    if cert.import_batch_id is not None:  # its import's entries and the batch review
        about |= Q(object_ref=f"batch:{cert.import_batch_id}") | Q(
            action="import.batch", data__import_batch=cert.import_batch_id
        )
    entries = list(AuditEntry.objects.filter(about).order_by("seq")[:HISTORY_LIMIT])
    names = user_display_names(
        user_ids=[e.actor_id for e in entries if e.actor_id]
        + [
            i
            for i in (cert.created_by_id, cert.approved_by_id, cert.revoked_by_id)
            if i
        ]
    )
    pending = cert.status == CertificateStatus.PENDING
    own = cert.created_by_id is not None and cert.created_by_id == viewer_id
    refusal = ""
    if pending and own:
        refusal = _(
            "You created this certificate: another staff member must approve it."
        )
    return CertificateDetailData(
        certificate=certificate_data(cert),
        birth_date=cert.birth_date,
        gender=cert.gender,
        evidence=MappingProxyType(dict(cert.evidence or {})),
        history=tuple(
            HistoryEntryData(
                seq=e.seq,
                created_at=e.created_at,
                action=e.action,
                actor_id=e.actor_id,
                actor_name=names.get(e.actor_id or 0, "") if e.actor_id else "",
                data=MappingProxyType(dict(e.data or {})),
            )
            for e in entries
        ),
        created_by_name=names.get(cert.created_by_id or 0, ""),
        approved_by_name=names.get(cert.approved_by_id or 0, ""),
        approved_at=cert.approved_at,
        revoked_by_name=names.get(cert.revoked_by_id or 0, ""),
        revocation_reason=cert.revocation_reason,
        can_approve=pending and not own,
        can_revoke=cert.status == CertificateStatus.ISSUED,
        refusal=refusal,
        import_batch_id=cert.import_batch_id,
    )
