"""The Bitstring Status List: encoding (spec's bit order, GZIP, base64url
multibase), slots, publication, re-signing on revocation and by the sweep."""

from __future__ import annotations

import pytest

from registry.credentials import certificate_credential, credential_verify
from registry.models import StatusList
from registry.status_list import (
    LIST_BITS,
    bit_is_set,
    decoded_list,
    encoded_list,
    status_lists_refresh,
)

pytestmark = pytest.mark.django_db


def _list_of(client, credential):
    url = credential["credentialStatus"]["statusListCredential"]
    return client.get("/" + url.split("://", 1)[1].split("/", 1)[1])


def test_encoding_sets_the_leftmost_bit_first():
    raw = decoded_list(encoded_list([0, 9, LIST_BITS - 1]))
    assert len(raw) * 8 == LIST_BITS
    assert raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    assert bit_is_set(raw, 9) and not bit_is_set(raw, 8)
    assert encoded_list([]).startswith("u")


def test_every_credential_points_at_a_published_signed_list(client, make_issued):
    credential = certificate_credential(make_issued())
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"].isdigit()
    answer = _list_of(client, credential)
    assert answer.status_code == 200
    status_list = answer.json()
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["issuer"] == credential["issuer"]["id"]
    assert credential_verify(status_list)
    raw = decoded_list(status_list["credentialSubject"]["encodedList"])
    assert not bit_is_set(raw, int(entry["statusListIndex"]))
    assert "MaharatRegistryStatus" not in str(credential)


def test_a_revocation_signs_the_list_again(
    client, make_issued, revoke, django_capture_on_commit_callbacks
):
    cert = make_issued()
    credential = certificate_credential(cert)
    index = int(credential["credentialStatus"]["statusListIndex"])
    first = _list_of(client, credential).json()
    with django_capture_on_commit_callbacks(execute=True):
        revoke(cert)
    second = _list_of(client, credential).json()
    assert bit_is_set(decoded_list(second["credentialSubject"]["encodedList"]), index)
    assert second["proof"] != first["proof"]
    assert credential_verify(second)


def test_the_sweep_catches_a_missed_re_signing(client, make_issued, revoke):
    cert = make_issued()
    credential = certificate_credential(cert)
    index = int(credential["credentialStatus"]["statusListIndex"])
    _list_of(client, credential)  # published before the revocation
    revoke(cert)  # its after-commit re-signing never ran (rolled-back test)
    stale = _list_of(client, credential).json()
    assert not bit_is_set(
        decoded_list(stale["credentialSubject"]["encodedList"]), index
    )
    from registry.wagtail_hooks import registry_status_lists_refresh

    assert registry_status_lists_refresh()
    fresh = _list_of(client, credential).json()
    assert bit_is_set(decoded_list(fresh["credentialSubject"]["encodedList"]), index)
    assert status_lists_refresh() == 0  # nothing changed since


def test_an_unused_list_is_404(client):
    assert client.get("/credentials/status/999/").status_code == 404
    assert not StatusList.objects.exists()
