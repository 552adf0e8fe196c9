"""W3C Data Integrity proofs, cryptosuite `eddsa-jcs-2022` (VC Data Integrity EdDSA
Cryptosuites v1.0, section 3.3), to the letter:

create: proof = the options (type DataIntegrityProof, cryptosuite, created,
verificationMethod, proofPurpose) plus the document's `@context`; hashData =
SHA-256(JCS(proof)) || SHA-256(JCS(document without proof)); proofValue = base58btc
multibase of the Ed25519 signature of hashData. The `@context` is written into the
proof it was hashed with (the earlier proof hashed it and left it out, so no standard
verifier could match). The proof is kept as an array (a proof set), as Open Badges
3.0 requires.

verify: for each proof, its `@context` must be the start of the document's; the
document's `@context` is replaced by the proof's, the same hash is rebuilt and the
signature checked against the key its verificationMethod resolves to.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from registry.jcs import CanonicalizationError, canonicalize
from registry.signing import signature_from_multibase, signature_multibase

CRYPTOSUITE = "eddsa-jcs-2022"

# verificationMethod → (public key, compromised after) or None when unknown
KeyResolver = Callable[[str], "tuple[Ed25519PublicKey, dt.datetime | None] | None"]


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(canonicalize(proof_config)).digest()
        + hashlib.sha256(canonicalize(document)).digest()
    )


def proof_add(
    document: dict[str, Any],
    *,
    key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """The document with an eddsa-jcs-2022 proof appended to its `proof` array."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if "@context" in unsecured:
        proof["@context"] = copy.deepcopy(unsecured["@context"])
    proof["proofValue"] = signature_multibase(key.sign(_hash_data(unsecured, proof)))
    secured = copy.deepcopy(unsecured)
    secured["proof"] = [proof]
    return secured


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _parse_time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def proof_verify(
    secured: dict[str, Any],
    *,
    resolve: KeyResolver,
    proof_purpose: str = "assertionMethod",
) -> bool:
    """True when the document carries proofs and every one verifies (none by a key
    that was compromised before the proof says it was made)."""
    if not isinstance(secured, dict) or "proof" not in secured:
        return False
    proofs = _as_list(secured["proof"])
    if not proofs:
        return False
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    return all(
        _one_proof_verifies(unsecured, proof, resolve, proof_purpose)
        for proof in proofs
    )


def _one_proof_verifies(
    unsecured: dict[str, Any],
    proof: Any,
    resolve: KeyResolver,
    proof_purpose: str,
) -> bool:
    if not isinstance(proof, dict):
        return False
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
        or proof.get("proofPurpose") != proof_purpose
    ):
        return False
    created = _parse_time(proof.get("created"))
    method = proof.get("verificationMethod")
    if created is None or not isinstance(method, str):
        return False
    document = dict(unsecured)
    if "@context" in proof:
        proof_context = _as_list(proof["@context"])
        doc_context = _as_list(document.get("@context", []))
        if doc_context[: len(proof_context)] != proof_context:
            return False
        document["@context"] = proof["@context"]
    found = resolve(method)
    if found is None:
        return False
    key, compromised_after = found
    if compromised_after is not None and created >= compromised_after:
        return False
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        signature = signature_from_multibase(str(proof.get("proofValue", "")))
        key.verify(signature, _hash_data(document, config))
    except (InvalidSignature, ValueError, CanonicalizationError):
        return False
    return True
