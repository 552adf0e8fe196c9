"""What the QR code carries: the verification URL with a compact signed token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from registry.data import CertificateData
from registry.keyring import signing_key_current
from registry.signing import token_sign


def certificate_token_claims(cert: CertificateData) -> dict[str, Any]:
    """The fewest bytes that still verify offline: a small QR code scans on cheap
    phones. `sub` the compact serial (binds the token to the certificate), `nm` the
    Arabic name, `oc` the unified occupation code, `lv` the level code, `dt` the issue
    date in ISO 8601's basic form (YYYYMMDD). No `iss`: the URL the code opens names
    the registry and the key (`kid`) names the signer; nothing empty is sent. Older
    tokens (with `iss`, `dt` as YYYY-MM-DD) verify the same: only `sub` is compared."""
    claims = {
        "sub": cert.serial,
        "nm": cert.full_name_ar,
        "oc": cert.occupation_code,
        "lv": cert.level_code,
        "dt": cert.issue_date.strftime("%Y%m%d") if cert.issue_date else "",
    }
    return {key: value for key, value in claims.items() if value}


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
