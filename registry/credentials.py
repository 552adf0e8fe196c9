"""The certificate as a W3C Verifiable Credential 2.0 / Open Badges 3.0 document."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from registry.data import CertificateData
from registry.signing import credential_sign, key_id
from registry.tokens import certificate_verify_url

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def keys_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/api/v1/registry/keys/"


def certificate_credential(cert: CertificateData) -> dict[str, Any]:
    """An OpenBadgeCredential with an eddsa-jcs-2022 proof by the registry key."""
    site = settings.SITE_URL.rstrip("/")
    verify_url = certificate_verify_url(cert)
    document = {
        "@context": CONTEXTS,
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{cert.occupation_title_en} — {cert.level_name_en}",
        "issuer": {
            "id": site,
            "type": ["Profile"],
            "name": "Ministry of Labour — Maharat skills registry",
        },
        "validFrom": f"{cert.issue_date.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.full_name_ar,
            "achievement": {
                "id": f"{site}/occupations/{cert.occupation_code}/{cert.level_code}",
                "type": ["Achievement"],
                "achievementType": "License",
                "name": f"{cert.occupation_title_ar} — {cert.level_name_ar}",
                "description": f"{cert.occupation_title_en} — {cert.level_name_en}",
                "criteria": {
                    "narrative": "Passed the ministry's skill-level test "
                    "(theory and practical) for this occupation and level."
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": cert.occupation_title_en,
                        "targetCode": cert.occupation_code,
                        "targetFramework": "ISCO-08",
                        "targetUrl": "https://isco.ilo.org/en/isco-08/",
                    }
                ],
            },
        },
        "credentialStatus": {
            "id": f"{site}/api/v1/verify/{cert.serial_display}/",
            "type": "MaharatRegistryStatus",
        },
    }
    return credential_sign(
        document,
        verification_method=f"{keys_url()}#{key_id()}",
        created=timezone.now()
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
    )
