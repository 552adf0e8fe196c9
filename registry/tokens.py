"""What the QR code carries: the verification URL with a compact signed token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from registry.data import CertificateData
from registry.keyring import signing_key_current
from registry.signing import token_sign


def certificate_token_claims(cert: CertificateData) -> dict[str, Any]:
    """Short claim names keep the QR small: a low-density code scans on cheap phones."""
    return {
        "iss": settings.SITE_URL,
        "sub": cert.serial,
        "nm": cert.full_name_ar,
        "oc": cert.occupation_code,
        "lv": cert.level_code,
        "dt": cert.issue_date.isoformat() if cert.issue_date else None,
    }


def certificate_token(cert: CertificateData) -> str:
    """Signed by the current key; its `kid` is recorded so a token printed before a
    rotation still finds its public key (registry.keyring)."""
    signing_key_current()
    return token_sign(certificate_token_claims(cert))


def certificate_verify_url(cert: CertificateData, *, with_token: bool = False) -> str:
    url = f"{settings.SITE_URL.rstrip('/')}{cert.verify_path}"
    if with_token:
        url += "?" + urlencode({"t": certificate_token(cert)})
    return url
