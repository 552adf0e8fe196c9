"""Open Badges 3.0: every credential validates against 1EdTech's published JSON
schema (a copy: tests/registry/verifiers/ob3, with its licence and source), the
holder is an IdentityObject with a salted hash of the national ID (never the ID),
the achievement resolves to a public page and JSON."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from registry.credentials import certificate_credential
from registry.models import Certificate, CredentialRecord

SCHEMA = json.loads(
    (
        Path(__file__).parent
        / "verifiers"
        / "ob3"
        / "ob_v3p0_achievementcredential_schema.json"
    ).read_text()
)
VALIDATOR = Draft201909Validator(SCHEMA, format_checker=FormatChecker())


def schema_errors(credential) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATOR.iter_errors(credential)
    ]


def test_the_schema_copy_is_1edtechs():
    assert SCHEMA["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/")
    assert "AchievementCredential" in SCHEMA["title"]


def test_an_issued_credential_validates_against_the_ob3_schema(make_issued):
    credential = certificate_credential(make_issued())
    assert schema_errors(credential) == []


def test_the_schema_refuses_what_the_old_credential_was():
    """The defect issue 18 names that the schema itself refuses: a proof that is not
    an array. (A subject with neither id nor identifier is refused by OB's prose, not
    its schema: test_the_subject_carries_a_salted_hash... checks the identifier.)"""
    old = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://example.org/verify/X/",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.org", "type": ["Profile"]},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/a",
                "type": ["Achievement"],
                "name": "n",
                "description": "d",
                "criteria": {"narrative": "c"},
            },
        },
        "proof": {"type": "DataIntegrityProof"},
    }
    assert any(e.startswith("proof:") for e in schema_errors(old))


def test_the_subject_carries_a_salted_hash_never_the_national_id(make_issued):
    cert = make_issued()
    credential = certificate_credential(cert)
    text = json.dumps(credential, ensure_ascii=False)
    assert cert.national_id not in text
    national = credential["credentialSubject"]["identifier"][0]
    assert national["identityType"] == "nationalIdentityNumber"
    assert national["hashed"] is True
    salt = national["salt"]
    expected = hashlib.sha256((cert.national_id + salt).encode()).hexdigest()
    assert national["identityHash"] == f"sha256${expected}"
    # the salt is the certificate's, kept: the same hash on every download
    again = certificate_credential(cert)["credentialSubject"]["identifier"][0]
    assert again == national
    assert CredentialRecord.objects.get(certificate_id=cert.id).identity_salt == salt
    names = [
        i["identityHash"]
        for i in credential["credentialSubject"]["identifier"]
        if i["identityType"] == "name"
    ]
    assert cert.full_name_ar in names
    assert "name" not in credential["credentialSubject"]  # OB defines no such field


def test_two_certificates_get_their_own_salt_and_status_slot(make_issued):
    a, b = make_issued(), make_issued()
    ca, cb = certificate_credential(a), certificate_credential(b)
    ida = ca["credentialSubject"]["identifier"][0]
    idb = cb["credentialSubject"]["identifier"][0]
    assert ida["salt"] != idb["salt"]
    assert (
        ca["credentialStatus"]["statusListIndex"]
        != cb["credentialStatus"]["statusListIndex"]
    )


def test_the_achievement_resolves_to_a_page_and_json(client, make_issued):
    credential = certificate_credential(make_issued())
    achievement = credential["credentialSubject"]["achievement"]
    path = "/" + achievement["id"].split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    body = page.content.decode()
    assert achievement["name"].split(" — ")[0] in body
    assert 'dir="rtl"' in body or "dir='rtl'" in body
    as_json = client.get(path, HTTP_ACCEPT="application/ld+json")
    assert as_json.status_code == 200
    document = as_json.json()
    assert document["id"] == achievement["id"]
    assert document["name"] == achievement["name"]
    alternate = client.get(path.rstrip("/") + ".json")
    assert alternate.status_code == 200 and alternate.json()["id"] == achievement["id"]


@pytest.mark.parametrize(
    "path", ["/achievements/0000/skilled/", "/achievements/7531/nosuch.json"]
)
def test_an_unknown_achievement_is_404(client, db, path):
    assert client.get(path).status_code == 404


def test_every_credential_the_demo_data_issues_validates(db):
    from lms.home.seeding import seed_users
    from registry.converters import certificate_data
    from registry.wagtail_hooks import seed_registry_demo

    seed_users(io.StringIO())
    seed_registry_demo(io.StringIO())
    issued = Certificate.objects.filter(status="issued").select_related(
        "occupation", "skill_level"
    )
    assert issued.exists()
    for cert in issued:
        credential = certificate_credential(certificate_data(cert))
        assert schema_errors(credential) == [], cert.serial


def test_the_downloaded_json_is_the_signed_valid_credential(
    client, make_user, make_issued
):
    from django.urls import reverse

    from registry.credentials import credential_verify

    holder = make_user("trainee")
    cert = make_issued(user_id=holder.pk)
    client.force_login(holder)
    answer = client.get(reverse("registry:certificate_credential", args=[cert.serial]))
    assert answer.status_code == 200
    credential = json.loads(answer.content)
    assert schema_errors(credential) == []
    assert credential_verify(credential)
