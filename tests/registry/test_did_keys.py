"""The controller document (did:web at /.well-known/did.json), key rotation and
compromise as commands, the QR token's `kid`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone, translation

from registry.credentials import certificate_credential
from registry.keyring import issuer_did, public_jwks
from registry.models import SigningKey
from registry.selectors import verification_token_state
from registry.signing import (
    key_id,
    public_key,
    public_key_from_multibase,
    token_verify,
)
from registry.tokens import certificate_token

pytestmark = pytest.mark.django_db


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


def test_the_did_document_lists_the_key_as_a_multikey_assertion_method(client):
    answer = client.get("/.well-known/did.json")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/did+ld+json")
    doc = answer.json()
    assert doc["id"] == issuer_did() == "did:web:127.0.0.1%3A8000"
    assert doc["@context"][0] == "https://www.w3.org/ns/did/v1"
    (method,) = doc["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["controller"] == doc["id"]
    assert method["id"] == f"{doc['id']}#{key_id()}"
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert doc["assertionMethod"] == [method["id"]]
    decoded = public_key_from_multibase(method["publicKeyMultibase"])
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    assert decoded.public_bytes(*raw) == public_key().public_bytes(*raw)


def test_the_proof_points_at_the_did_verification_method(make_issued):
    credential = certificate_credential(make_issued())
    assert credential["issuer"]["id"] == issuer_did()
    assert credential["proof"][0]["verificationMethod"] == f"{issuer_did()}#{key_id()}"


def test_rotation_keeps_every_old_key_published_and_old_qr_codes_good(
    client, make_issued
):
    cert = make_issued()
    old_kid = key_id()
    old_token = certificate_token(cert)
    assert jwt.get_unverified_header(old_token)["kid"] == old_kid
    out = StringIO()
    with override_settings(REGISTRY_SIGNING_KEY=new_key_pem()):
        call_command("rotate_signing_key", stdout=out)
        new_kid = key_id()
        assert new_kid != old_kid
        assert new_kid in out.getvalue() and old_kid in out.getvalue()
        new_token = certificate_token(cert)
        assert jwt.get_unverified_header(new_token)["kid"] == new_kid
        # both verify: the old one by its kid's recorded public key
        assert token_verify(old_token)["sub"] == cert.serial
        assert token_verify(new_token)["sub"] == cert.serial
        answer = {"serial": cert.serial_display}
        assert verification_token_state(token=old_token, answer=answer) == "good"
        jwks = {k["kid"]: k for k in public_jwks()["keys"]}
        assert set(jwks) == {old_kid, new_kid}
        # the public key set offline verifiers download holds the old key too
        published = client.get("/api/v1/registry/keys/").json()["keys"]
        assert {k["kid"] for k in published} == {old_kid, new_kid}
        assert token_verify(old_token, jwk=jwks[old_kid])["sub"] == cert.serial
        rows = {k.key_id: k for k in SigningKey.objects.all()}
        assert rows[old_kid].retired_at is not None
        assert rows[new_kid].retired_at is None


def test_rotate_generate_prints_a_usable_key():
    out = StringIO()
    call_command("rotate_signing_key", "--generate", stdout=out)
    key = serialization.load_pem_private_key(out.getvalue().encode(), None)
    assert isinstance(key, Ed25519PrivateKey)


def test_a_token_with_an_unknown_kid_is_refused(make_issued):
    cert = make_issued()
    stranger = Ed25519PrivateKey.generate()
    token = jwt.api_jws.encode(
        b'{"sub":"' + cert.serial.encode() + b'"}',
        stranger,
        algorithm="EdDSA",
        headers={"kid": "0123456789abcdef"},
    )
    with pytest.raises(jwt.InvalidTokenError):
        token_verify(token)
    assert (
        verification_token_state(token=token, answer={"serial": cert.serial_display})
        == "bad"
    )


def test_a_compromised_keys_qr_tokens_are_refused(make_issued):
    cert = make_issued()
    old_token = certificate_token(cert)
    old_kid = key_id()
    with override_settings(REGISTRY_SIGNING_KEY=new_key_pem()):
        call_command("rotate_signing_key", verbosity=0)
        call_command(
            "mark_signing_key_compromised",
            old_kid,
            "--after",
            "2026-01-01T00:00:00Z",
            verbosity=0,
        )
        with pytest.raises(jwt.InvalidTokenError):
            token_verify(old_token)
        assert token_verify(certificate_token(cert))["sub"] == cert.serial


def test_the_current_key_cannot_be_marked_compromised():
    call_command("rotate_signing_key", verbosity=0)
    with translation.override("en"), pytest.raises(CommandError, match="rotate first"):
        call_command(
            "mark_signing_key_compromised", key_id(), "--after", "2026-01-01T00:00Z"
        )
    assert SigningKey.objects.get(key_id=key_id()).compromised_after is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["ffffffffffffffff", "--after", "2026-01-01T00:00Z"], "No signing key"),
        (["ffffffffffffffff", "--after", "yesterday"], "not an ISO 8601"),
        (["ffffffffffffffff", "--after", "2026-01-01T00:00"], "time zone"),
    ],
)
def test_mark_compromised_refuses_bad_input(args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("mark_signing_key_compromised", *args)


def test_a_compromised_key_is_marked_revoked_in_the_did_document(client, make_issued):
    certificate_credential(make_issued())  # the old key signed something
    old_kid = key_id()
    with override_settings(REGISTRY_SIGNING_KEY=new_key_pem()):
        call_command("rotate_signing_key", verbosity=0)
        moment = timezone.now() - dt.timedelta(days=1)
        call_command(
            "mark_signing_key_compromised",
            old_kid,
            "--after",
            moment.isoformat(),
            verbosity=0,
        )
        doc = client.get("/.well-known/did.json").json()
    methods = {m["id"].split("#")[1]: m for m in doc["verificationMethod"]}
    assert old_kid in methods and len(methods) == 2
    assert methods[old_kid]["revoked"] == moment.astimezone(dt.UTC).replace(
        microsecond=0
    ).isoformat().replace("+00:00", "Z")
    assert all("revoked" not in m for k, m in methods.items() if k != old_kid)
