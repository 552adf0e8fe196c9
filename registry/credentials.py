"""The certificate as a W3C Verifiable Credential 2.0 / Open Badges 3.0
`OpenBadgeCredential`, secured with an `eddsa-jcs-2022` Data Integrity proof by the
registry's key (`did:web:<host>#<key id>`), its revocation in a Bitstring Status List.

The formats are documented in registry/README.md ("Credentials"); two independent
verifiers check them in tests/registry/test_credential_verifiers.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings

from registry.credential_models import CredentialRecord
from registry.data import CertificateData
from registry.data_integrity import proof_add, proof_verify
from registry.keyring import (
    issuer_did,
    public_key_for,
    signing_key_current,
    verification_method_id,
)
from registry.signing import private_key
from registry.status_list import credential_record_for, now_iso, status_entry
from registry.tokens import certificate_verify_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)
ISSUER_NAME = "Ministry of Labour — Maharat skills registry"
CRITERIA = (
    "Passed the ministry's skill-level test (theory and practical) for this "
    "occupation and level."
)


def site() -> str:
    return settings.SITE_URL.rstrip("/")


def achievement_url(occupation_code: str, level_code: str) -> str:
    return f"{site()}/achievements/{occupation_code}/{level_code}/"


def achievement_document(
    *,
    occupation_code: str,
    occupation_title_ar: str,
    occupation_title_en: str,
    level_code: str,
    level_name_ar: str,
    level_name_en: str,
) -> dict[str, Any]:
    """The OB 3.0 Achievement (occupation + level), as credentials embed it and its
    public URL answers in JSON."""
    return {
        "id": achievement_url(occupation_code, level_code),
        "type": ["Achievement"],
        "achievementType": "License",
        "name": f"{occupation_title_ar} — {level_name_ar}",
        "description": f"{occupation_title_en} — {level_name_en}",
        "humanCode": f"{occupation_code}-{level_code}",
        "inLanguage": "ar",
        "criteria": {"narrative": CRITERIA},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": occupation_title_en,
                "targetCode": occupation_code,
                "targetFramework": "ISCO-08",
                "targetUrl": "https://isco.ilo.org/en/isco-08/",
            }
        ],
    }


def identity_hash(national_id: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' + hex SHA-256 of the UTF-8 ID then the salt."""
    return "sha256$" + hashlib.sha256((national_id + salt).encode("utf-8")).hexdigest()


def _identifiers(cert: CertificateData, record: CredentialRecord) -> list[dict]:
    """The holder as OB IdentityObjects: the national ID salted and hashed (never
    the ID itself), the names in plain text (OB's identityType `name`)."""
    identities = [
        {
            "type": "IdentityObject",
            "identityType": "nationalIdentityNumber",
            "hashed": True,
            "identityHash": identity_hash(cert.national_id, record.identity_salt),
            "salt": record.identity_salt,
        },
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": cert.full_name_ar,
        },
    ]
    if cert.full_name_en:
        identities.append({**identities[1], "identityHash": cert.full_name_en})
    return identities


def certificate_credential_unsigned(cert: CertificateData) -> dict[str, Any]:
    record = credential_record_for(cert.id)
    return {
        "@context": CONTEXTS,
        "id": certificate_verify_url(cert),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{cert.occupation_title_en} — {cert.level_name_en}",
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": ISSUER_NAME,
            "url": site() + "/",
        },
        "validFrom": f"{cert.issue_date.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _identifiers(cert, record),
            "achievement": achievement_document(
                occupation_code=cert.occupation_code,
                occupation_title_ar=cert.occupation_title_ar,
                occupation_title_en=cert.occupation_title_en,
                level_code=cert.level_code,
                level_name_ar=cert.level_name_ar,
                level_name_en=cert.level_name_en,
            ),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "JsonSchema"}],
        "credentialStatus": status_entry(record),
    }


def certificate_credential(cert: CertificateData) -> dict[str, Any]:
    """The signed OpenBadgeCredential (signed now, by the current key)."""
    return proof_add(
        certificate_credential_unsigned(cert),
        key=private_key(),
        verification_method=verification_method_id(signing_key_current()),
        created=now_iso(),
    )


def _resolve(method: str):
    prefix = issuer_did() + "#"
    if not method.startswith(prefix):
        return None
    return public_key_for(method[len(prefix) :])


def credential_verify(signed: dict[str, Any]) -> bool:
    """Our own check: every proof verifies by a key the registry used, none made
    after its key was marked compromised, and the issuer is the registry's DID.
    (Revocation is the status list's: `status_list.credential_revoked`.)"""
    issuer = signed.get("issuer") if isinstance(signed, dict) else None
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != issuer_did():
        return False
    return proof_verify(signed, resolve=_resolve)
