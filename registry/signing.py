"""Ed25519 primitives: the private key, the compact QR token, the JWK, Multikey.

The credential's Data Integrity proof is `registry.data_integrity`; the keys ever used
(rotation, compromise, the DID document) are `registry.keyring`.

The key comes from settings.REGISTRY_SIGNING_KEY (PEM). When unset (development and
tests only: settings refuse production without it) a key is derived from SECRET_KEY,
so it is stable across restarts without ever being written down.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

TOKEN_ALGORITHM = "EdDSA"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b58encode(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def _b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


@cache
def _private_key_for(pem: str, secret_key: str) -> Ed25519PrivateKey:
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("REGISTRY_SIGNING_KEY must be an Ed25519 private key.")
        return key
    seed = hashlib.sha256(
        b"maharat-registry-signing-key:" + secret_key.encode()
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key() -> Ed25519PrivateKey:
    return _private_key_for(settings.REGISTRY_SIGNING_KEY, settings.SECRET_KEY)


def private_key_pem() -> str:
    """The signing key as PKCS#8 PEM, the form REGISTRY_SIGNING_KEY takes (backups)."""
    return (
        private_key()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def key_source() -> str:
    """Where the key comes from: a restore must know a derived key needs SECRET_KEY."""
    if settings.REGISTRY_SIGNING_KEY:
        return "REGISTRY_SIGNING_KEY"
    return "derived from SECRET_KEY"


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def _public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id() -> str:
    """The current key's id: the JWS `kid`, the DID verification method's fragment."""
    return key_id_of(public_key())


def public_jwk() -> dict[str, str]:
    """The public key as a JSON Web Key (RFC 8037, OKP/Ed25519)."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64url(_public_raw(public_key())),
        "kid": key_id(),
        "use": "sig",
        "alg": TOKEN_ALGORITHM,
    }


MULTIKEY_ED25519_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as a varint


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """A Multikey's publicKeyMultibase: base58btc ('z') of 0xed01 + the raw key."""
    return "z" + _b58encode(MULTIKEY_ED25519_PREFIX + _public_raw(key))


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    raw = _b58decode(text[1:]) if text.startswith("z") else b""
    if len(raw) != 34 or not raw.startswith(MULTIKEY_ED25519_PREFIX):
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def key_id_of(key: Ed25519PublicKey) -> str:
    """A key's id: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(_public_raw(key)).hexdigest()[:16]


def signature_multibase(signature: bytes) -> str:
    return "z" + _b58encode(signature)


def signature_from_multibase(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("proofValue must be base58btc multibase")
    return _b58decode(text[1:])


def public_key_from_jwk(jwk: dict[str, str]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 JWK")
    return Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"]))


def token_sign(claims: dict[str, Any]) -> str:
    """A compact JWS (EdDSA) small enough for a QR code. The claims are UTF-8 JSON
    (RFC 7519 allows it): PyJWT's own encoder writes every Arabic letter as a
    six-byte \\uXXXX escape, which grew the code by two QR versions and made it too
    dense to scan at its printed size."""
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    return jwt.api_jws.encode(
        payload.encode("utf-8"),
        private_key(),
        algorithm=TOKEN_ALGORITHM,
        headers={"kid": key_id(), "typ": "JWT"},
    )


def token_verify(token: str, *, jwk: dict[str, str] | None = None) -> dict[str, Any]:
    """The claims if the signature is good; raises jwt.InvalidTokenError otherwise.
    Without a JWK the key is the one the header's `kid` names among every key the
    registry ever used (an unknown or compromised one is refused)."""
    if jwk:
        key = public_key_from_jwk(jwk)
    else:
        from registry.keyring import token_key_for  # keyring builds on this module

        key = token_key_for(jwt.get_unverified_header(token).get("kid"))
    return jwt.decode(
        token, key, algorithms=[TOKEN_ALGORITHM], options={"verify_aud": False}
    )
