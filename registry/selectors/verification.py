"""Public verification: the answer anyone may have for a serial, the QR token check,
and what a backup keeps to prove a restore (the probe, the signing keys)."""

from __future__ import annotations

from typing import Any

import jwt
from django.core.cache import cache

from lms.accounts.national_id import mask_national_id_public
from registry.cache import (
    verification_cache_fill,
    verification_cache_key,
    verification_cached,
)
from registry.converters import certificate_data
from registry.data import SigningKeyData, VerificationProbeData
from registry.models import Certificate, CertificateStatus
from registry.serials import InvalidSerial, serial_display, serial_normalize
from registry.signing import key_id, key_source, private_key_pem, token_verify
from registry.tokens import certificate_token

_VERIFY_HTTP_STATUS = {"invalid": 400, "unknown": 404}


def verification_http_status(answer: dict[str, Any]) -> int:
    """The HTTP status every verification endpoint answers with."""
    return _VERIFY_HTTP_STATUS.get(answer["status"], 200)


def verification_serial_parse(serial: str) -> tuple[str | None, dict[str, Any] | None]:
    """(compact serial, None), or (None, the `invalid` answer) for a mistyped one."""
    try:
        return serial_normalize(serial), None
    except InvalidSerial:
        return None, {"serial": serial, "status": "invalid"}


def verification_answer(*, serial: str) -> dict[str, Any]:
    """What anyone may know about a serial: never the full national ID.

    The public answer's JSON body, as served (the API and the ASGI fast path render
    this dict; issue 18 gives it a declared type). `status` is one of invalid
    (malformed / check symbol wrong), unknown, pending, issued, revoked. Cached; the
    services clear the entry on every change. The ASGI fast path
    (registry.verify_asgi) reads the same cache entry and calls this on a miss.
    """
    compact, invalid = verification_serial_parse(serial)
    if compact is None:
        return invalid or {"serial": serial, "status": "invalid"}
    key = verification_cache_key(compact)
    answer = verification_cached(cache.get(key))
    if answer is not None:
        return answer
    cert = (
        Certificate.objects.select_related("occupation", "skill_level")
        .filter(serial=compact)
        .first()
    )
    answer = _answer_for(compact, cert)
    verification_cache_fill(serial=compact, answer=answer, known=cert is not None)
    return answer


def _answer_for(compact: str, cert: Certificate | None) -> dict[str, Any]:
    base = {"serial": serial_display(compact)}
    if cert is None:
        return {**base, "status": "unknown"}
    if cert.status == CertificateStatus.PENDING:
        return {**base, "status": "pending"}
    occ, level = cert.occupation, cert.skill_level
    return {
        **base,
        "status": cert.status,
        "valid": cert.status == CertificateStatus.ISSUED,
        "holder": {
            "name_ar": cert.full_name_ar,
            "name_en": cert.full_name_en,
            # a stranger's answer: the last four digits only
            "national_id_masked": mask_national_id_public(cert.national_id),
        },
        "occupation": {
            "code": occ.code,
            "title_ar": occ.title_ar,
            "title_en": occ.title_en,
        },
        "skill_level": {
            "code": level.code,
            "rank": level.rank,
            "name_ar": level.name_ar,
            "name_en": level.name_en,
        },
        "issue_date": cert.issue_date.isoformat() if cert.issue_date else None,
        "issuing_directorate": cert.issuing_directorate,
        "source": cert.source,
        "revoked_on": cert.revoked_at.date().isoformat() if cert.revoked_at else None,
    }


def verification_token_state(*, token: str | None, answer: dict[str, Any]) -> str:
    """'good' when a QR's signed token verifies and names the answer's serial, 'bad'
    when it does not, '' without a token: what /verify/ shows and a restore drill
    proves."""
    if not token:
        return ""
    try:
        claims = token_verify(token)
    except jwt.InvalidTokenError:
        return "bad"
    try:
        same = serial_normalize(answer.get("serial", "")) == claims.get("sub")
    except InvalidSerial:
        same = False
    return "good" if same else "bad"


def verification_probe_get() -> VerificationProbeData | None:
    """The newest issued certificate and its QR token, signed now: a backup keeps it
    so a restore can prove an old token still verifies against the restored key."""
    cert = (
        Certificate.objects.select_related("occupation", "skill_level")
        .filter(status=CertificateStatus.ISSUED)
        .order_by("-id")
        .first()
    )
    if cert is None:
        return None
    data = certificate_data(cert)
    return VerificationProbeData(serial=data.serial, token=certificate_token(data))


def signing_keys_export() -> list[SigningKeyData]:
    """Every private key the registry signs with (one: REGISTRY_SIGNING_KEY), for
    backups only; a list so a future key rotation keeps old keys restorable."""
    return [SigningKeyData(key_id=key_id(), pem=private_key_pem(), source=key_source())]
