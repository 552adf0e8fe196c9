"""Every key the registry ever signed with, and the controller document that
publishes them: `did:web:<host>` at `/.well-known/did.json`.

The current private key is REGISTRY_SIGNING_KEY (settings); each key that signed
anything has a `SigningKey` row (registered on first use), so a credential or QR
code signed before a rotation still finds its public key. A key marked compromised
after a time carries the controller document's `revoked` property (standard
verifiers then refuse every proof by it); our verifier refuses what it signed after
that time.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from urllib.parse import quote, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Conflict, NotFound
from registry.credential_models import SigningKey
from registry.signing import (
    key_id,
    key_id_of,
    public_key,
    public_key_from_multibase,
    public_key_multibase,
)

DID_CONTEXTS = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
]


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def issuer_did() -> str:
    """did:web of the site's host (a port's colon percent-encoded, as did:web says)."""
    return "did:web:" + quote(site_host(), safe="")


def verification_method_id(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


def _iso(moment: dt.datetime) -> str:
    return (
        moment.astimezone(dt.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )


def _registered(kid: str, multibase: str) -> None:
    SigningKey.objects.get_or_create(
        key_id=kid,
        defaults={"public_key_multibase": multibase, "created_at": timezone.now()},
    )


def signing_key_current() -> str:
    """The current key's id, its public half recorded (one indexed read once it is)."""
    kid = key_id()
    _registered(kid, public_key_multibase(public_key()))
    return kid


def signing_key_rotate(*, now: dt.datetime | None = None) -> tuple[str, list[str]]:
    """After REGISTRY_SIGNING_KEY was set to a new key: record it as the current key
    and retire every other. Returns (the new key's id, the ids retired now)."""
    now = now or timezone.now()
    kid = signing_key_current()
    with transaction.atomic():
        retired = list(
            SigningKey.objects.filter(retired_at__isnull=True)
            .exclude(key_id=kid)
            .values_list("key_id", flat=True)
        )
        SigningKey.objects.filter(key_id__in=retired).update(retired_at=now)
        SigningKey.objects.filter(key_id=kid).update(retired_at=None)
    return kid, retired


def signing_key_mark_compromised(*, kid: str, after: dt.datetime) -> None:
    """What `kid` signed after `after` is refused (the current key cannot be: rotate
    first, or new credentials would be refused as they are signed)."""
    if kid == key_id():
        raise Conflict(
            _("The current signing key cannot be marked compromised: rotate first."),
            code="current_key",
        )
    updated = SigningKey.objects.filter(key_id=kid).update(
        compromised_after=after, retired_at=timezone.now()
    )
    if not updated:
        raise NotFound(_("No signing key %(kid)s.") % {"kid": kid}, code="unknown_key")


def signing_key_lookup(kid: str) -> SigningKey | None:
    return SigningKey.objects.filter(key_id=kid).first()


def public_key_for(kid: str) -> tuple[Ed25519PublicKey, dt.datetime | None] | None:
    """(the public key, compromised after) of a key the registry used, or None."""
    row = signing_key_lookup(kid)
    if row is None:
        if kid != key_id():
            return None
        return public_key(), None
    key = public_key_from_multibase(row.public_key_multibase)
    if key_id_of(key) != kid:
        return None
    return key, row.compromised_after


def token_key_for(kid: str | None) -> Ed25519PublicKey:
    """The QR token's key by its `kid`: unknown and compromised keys are refused (a
    compact token carries no time we could trust)."""
    found = public_key_for(kid) if kid else None
    if found is None:
        raise jwt.InvalidTokenError("unknown key id")
    key, compromised_after = found
    if compromised_after is not None:
        raise jwt.InvalidTokenError("this key was compromised")
    return key


def did_document() -> dict[str, Any]:
    """The controller document: every key ever used as a Multikey under
    assertionMethod; a compromised one keeps its entry with `revoked`."""
    signing_key_current()
    did = issuer_did()
    methods = []
    for row in SigningKey.objects.all():
        method: dict[str, Any] = {
            "id": verification_method_id(row.key_id),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": row.public_key_multibase,
        }
        if row.compromised_after is not None:
            method["revoked"] = _iso(row.compromised_after)
        methods.append(method)
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def public_jwks() -> dict[str, list[dict[str, str]]]:
    """Every key ever used, not compromised, as a JWK Set (RFC 7517/8037): what
    /api/v1/registry/keys/ can publish so a QR token signed before a rotation still
    finds its key offline."""
    signing_key_current()
    keys = []
    for row in SigningKey.objects.filter(compromised_after__isnull=True):
        raw = public_key_from_multibase(row.public_key_multibase).public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii"),
                "kid": row.key_id,
                "use": "sig",
                "alg": "EdDSA",
            }
        )
    return {"keys": keys}
