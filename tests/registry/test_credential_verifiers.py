"""Issued credentials checked by two verifiers nobody here wrote the libraries of:
Digital Bazaar's vc / data-integrity / eddsa-jcs-2022 / bitstring status list under
Node.js, and a Python check from the specs with rfc8785 (tests/registry/verifiers).
Both get only what the site publishes: the credential, /.well-known/did.json, the
status list; every JSON-LD context is a local copy and nothing else loads."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from registry.credentials import certificate_credential, credential_verify
from tests.registry.verifiers.harness import node_verify, python_verify

pytestmark = pytest.mark.django_db(transaction=False)

VERIFIERS = {"node": node_verify, "python": python_verify}


def published(client, credential):
    """What a verifier fetches for a credential, from the site's own URLs."""
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200
    lists = {}
    for entry in [credential["credentialStatus"]]:
        url = entry["statusListCredential"]
        path = url.split("://", 1)[1].split("/", 1)[1]
        answer = client.get("/" + path)
        assert answer.status_code == 200, url
        lists[url] = answer.json()
    return {"credential": credential, "didDocument": did.json(), "statusLists": lists}


def new_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


@pytest.mark.parametrize("verifier", VERIFIERS)
def test_an_issued_credential_verifies(client, make_issued, verifier):
    credential = certificate_credential(make_issued())
    result = VERIFIERS[verifier](published(client, credential))
    assert result["verified"], result
    assert result["revoked"] is False
    if verifier == "node":
        assert result["safeExpansion"], result  # valid JSON-LD in safe mode


@pytest.mark.parametrize("verifier", VERIFIERS)
@pytest.mark.parametrize(
    "tamper",
    [
        "name",
        "national_id_hash",
        "level",
        "context_dropped_from_proof",
        "issuer",
        "proof_value",
    ],
)
def test_a_tampered_credential_is_refused(client, make_issued, verifier, tamper):
    credential = certificate_credential(make_issued())
    forged = copy.deepcopy(credential)
    subject = forged["credentialSubject"]
    if tamper == "name":
        subject["identifier"][1]["identityHash"] = "شخص آخر"
    elif tamper == "national_id_hash":
        subject["identifier"][0]["identityHash"] = "sha256$" + "0" * 64
    elif tamper == "level":
        subject["achievement"]["name"] += " (advanced)"
    elif tamper == "context_dropped_from_proof":
        del forged["proof"][0]["@context"]  # the defect issue 18 names
    elif tamper == "issuer":
        forged["issuer"]["name"] = "Another ministry"
    elif tamper == "proof_value":
        value = forged["proof"][0]["proofValue"]
        forged["proof"][0]["proofValue"] = value[:-3] + (
            "111" if value[-3:] != "111" else "222"
        )
    result = VERIFIERS[verifier](published(client, forged))
    assert not result["verified"], (tamper, result)
    assert not credential_verify(forged)


def test_the_old_proof_without_its_context_was_unverifiable(client, make_issued):
    """The defect reproduced: a proof whose @context was hashed but not written."""
    credential = certificate_credential(make_issued())
    old_style = copy.deepcopy(credential)
    del old_style["proof"][0]["@context"]
    assert node_verify(published(client, old_style))["verified"] is False


@pytest.mark.parametrize("verifier", VERIFIERS)
def test_a_revoked_certificate_reads_revoked(
    client, make_issued, verifier, revoke, django_capture_on_commit_callbacks
):
    cert = make_issued()
    credential = certificate_credential(cert)  # downloaded while it was valid
    before = VERIFIERS[verifier](published(client, credential))
    assert before["verified"] and before["revoked"] is False, before
    with django_capture_on_commit_callbacks(execute=True):
        revoke(cert)  # the list is signed again after the revocation commits
    after = VERIFIERS[verifier](published(client, credential))
    assert after["revoked"] is True, after
    assert not after["verified"]


def test_credentials_from_before_a_rotation_keep_verifying(client, make_issued):
    cert = make_issued()
    before = certificate_credential(cert)
    old_method = before["proof"][0]["verificationMethod"]
    with override_settings(REGISTRY_SIGNING_KEY=new_key_pem()):
        call_command("rotate_signing_key", verbosity=0)
        after = certificate_credential(cert)
        new_method = after["proof"][0]["verificationMethod"]
        assert new_method != old_method
        did = client.get("/.well-known/did.json").json()
        assert {old_method, new_method} <= set(did["assertionMethod"])
        for verifier in VERIFIERS.values():
            for credential in (before, after):
                result = verifier(published(client, credential))
                assert result["verified"], result
        assert credential_verify(before) and credential_verify(after)


def test_a_compromised_key_refuses_what_it_signed_after_the_date(client, make_issued):
    cert = make_issued()
    old = certificate_credential(cert)
    kid = old["proof"][0]["verificationMethod"].split("#")[1]
    with override_settings(REGISTRY_SIGNING_KEY=new_key_pem()):
        call_command("rotate_signing_key", verbosity=0)
        after = (timezone.now() - dt.timedelta(hours=1)).isoformat()
        call_command("mark_signing_key_compromised", kid, "--after", after, verbosity=0)
        did = client.get("/.well-known/did.json").json()
        method = next(m for m in did["verificationMethod"] if m["id"].endswith(kid))
        assert "revoked" in method
        for verifier in VERIFIERS.values():
            result = verifier(published(client, old))
            assert not result["verified"], result
        assert not credential_verify(old)
        # signed before the compromise: ours still accepts it
        earlier = copy.deepcopy(old)
        call_command(
            "mark_signing_key_compromised",
            kid,
            "--after",
            (timezone.now() + dt.timedelta(hours=1)).isoformat(),
            verbosity=0,
        )
        assert credential_verify(earlier)
        assert credential_verify(certificate_credential(cert))  # new key signs


def test_the_old_custom_status_type_was_not_json_ld_in_safe_mode(client, make_issued):
    """The defect reproduced: `MaharatRegistryStatus` is defined in no context."""
    credential = certificate_credential(make_issued())
    old_style = copy.deepcopy(credential)
    old_style["credentialStatus"] = {
        "id": "http://127.0.0.1:8000/api/v1/verify/X/",
        "type": "MaharatRegistryStatus",
    }
    result = node_verify(published(client, credential) | {"credential": old_style})
    assert result["safeExpansion"] is False
    assert not result["verified"]


def test_the_node_verifier_loads_nothing_from_the_network(client, make_issued):
    """A context it has no local copy of is refused, not fetched. (The proof itself
    still verifies: eddsa-jcs-2022 signs the proof's @context, a prefix of the
    document's, and the v2 and OB contexts are @protected against redefinition.)"""
    credential = certificate_credential(make_issued())
    extended = copy.deepcopy(credential)
    extended["@context"].append("https://example.org/contexts/unknown.jsonld")
    result = node_verify(published(client, credential) | {"credential": extended})
    assert result["safeExpansion"] is False
    assert '"code":"loading remote context failed"' in result["safeExpansionError"]
    assert "example.org/contexts/unknown.jsonld" in result["safeExpansionError"]
