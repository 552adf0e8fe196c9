"""A second, independent check of Maharat credentials, written from the specs only
(W3C VC Data Model 2.0, VC Data Integrity 1.0, Data Integrity EdDSA Cryptosuites 1.0
`eddsa-jcs-2022`, Controlled Identifiers 1.0 `Multikey`, Bitstring Status List 1.0)
with `cryptography` for Ed25519 and Trail of Bits' `rfc8785` for JCS. It imports
nothing of the project.

    python verify.py INPUT.json   (input as for ../node/verify.mjs; prints JSON)
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import sys

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Refused(Exception):
    pass


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        if ch not in B58:
            raise Refused("not base58btc")
        number = number * 58 + B58.index(ch)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def when(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise Refused(f"{text} has no time zone")
    return moment


def as_list(value):
    return value if isinstance(value, list) else [value]


def verification_method(did_document: dict, method_id: str) -> dict:
    if method_id not in as_list(did_document.get("assertionMethod", [])):
        raise Refused(f"{method_id} is not an assertionMethod of its controller")
    for method in did_document.get("verificationMethod", []):
        if method.get("id") == method_id:
            if method.get("type") != "Multikey":
                raise Refused("verification method is not a Multikey")
            if method.get("controller") != did_document["id"]:
                raise Refused("verification method has another controller")
            return method
    raise Refused(f"{method_id} not found in the controller document")


def public_key(method: dict) -> Ed25519PublicKey:
    text = method.get("publicKeyMultibase", "")
    if not text.startswith("z"):
        raise Refused("publicKeyMultibase is not base58btc")
    raw = b58decode(text[1:])
    if len(raw) != 34 or raw[:2] != b"\xed\x01":
        raise Refused("not an Ed25519 public key (multicodec 0xed01)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verify_proofs(secured: dict, did_document: dict) -> None:
    """eddsa-jcs-2022 'Verify Proof' (section 3.3.2) for each proof of the set."""
    issuer = secured.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != did_document["id"]:
        raise Refused("the issuer is not the controller of the keys")
    proofs = as_list(secured.get("proof") or [])
    if not proofs:
        raise Refused("no proof")
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    for proof in proofs:
        if proof.get("type") != "DataIntegrityProof":
            raise Refused("proof type is not DataIntegrityProof")
        if proof.get("cryptosuite") != "eddsa-jcs-2022":
            raise Refused("cryptosuite is not eddsa-jcs-2022")
        if proof.get("proofPurpose") != "assertionMethod":
            raise Refused("proofPurpose is not assertionMethod")
        method = verification_method(did_document, proof.get("verificationMethod"))
        created = when(proof["created"])
        if "revoked" in method and created >= when(method["revoked"]):
            raise Refused("the key was revoked before this proof was made")
        document = dict(unsecured)
        if "@context" in proof:
            proof_context = as_list(proof["@context"])
            if as_list(document.get("@context", []))[: len(proof_context)] != (
                proof_context
            ):
                raise Refused("document @context does not start with the proof's")
            document["@context"] = proof["@context"]
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        hash_data = (
            hashlib.sha256(rfc8785.dumps(config)).digest()
            + hashlib.sha256(rfc8785.dumps(document)).digest()
        )
        value = proof.get("proofValue", "")
        if not value.startswith("z"):
            raise Refused("proofValue is not base58btc")
        try:
            public_key(method).verify(b58decode(value[1:]), hash_data)
        except InvalidSignature:
            raise Refused("signature does not verify") from None


def check_validity(credential: dict, now: dt.datetime) -> None:
    if "validFrom" in credential and when(credential["validFrom"]) > now:
        raise Refused("not valid yet")
    if "validUntil" in credential and when(credential["validUntil"]) < now:
        raise Refused("expired")


def revoked(credential: dict, did_document: dict, lists: dict, now) -> bool:
    """Bitstring Status List 1.0, section 3.2 'Validate Algorithm'."""
    entries = [
        e
        for e in as_list(credential.get("credentialStatus") or [])
        if e.get("type") == "BitstringStatusListEntry"
        and e.get("statusPurpose") == "revocation"
    ]
    if not entries:
        raise Refused("no BitstringStatusListEntry for revocation")
    result = False
    for entry in entries:
        status_list = lists.get(entry["statusListCredential"])
        if status_list is None:
            raise Refused("status list not available")
        if "BitstringStatusListCredential" not in status_list.get("type", []):
            raise Refused("not a BitstringStatusListCredential")
        verify_proofs(status_list, did_document)
        check_validity(status_list, now)
        subject = status_list["credentialSubject"]
        if subject.get("statusPurpose") != entry["statusPurpose"]:
            raise Refused("status purposes differ")
        encoded = subject["encodedList"]
        if not encoded.startswith("u"):
            raise Refused("encodedList is not base64url multibase")
        body = encoded[1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if len(bits) * 8 < 131072:
            raise Refused("status list shorter than 131,072 entries")
        index = int(entry["statusListIndex"])
        if not 0 <= index < len(bits) * 8:
            raise Refused("statusListIndex out of range")
        result = result or bool(bits[index // 8] & (0x80 >> (index % 8)))
    return result


def main(path: str) -> dict:
    data = json.load(open(path, encoding="utf-8"))
    out = {"verified": False, "error": None, "revoked": None}
    now = dt.datetime.now(dt.UTC)
    try:
        credential = data["credential"]
        verify_proofs(credential, data["didDocument"])
        check_validity(credential, now)
        out["revoked"] = revoked(
            credential, data["didDocument"], data.get("statusLists", {}), now
        )
        out["verified"] = not out["revoked"]
        if out["revoked"]:
            out["error"] = "revoked"
    except (Refused, KeyError, ValueError, TypeError) as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1])) + "\n")
