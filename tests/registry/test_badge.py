"""The credential baked into a PNG badge (OB 3.0 baking) for wallets."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from lms.kernel.headers import NO_STORE
from registry.badge import BAKING_KEYWORD, badge_png, baked_credential, png_chunks
from registry.credentials import credential_verify
from tests.registry.test_credential_verifiers import published
from tests.registry.verifiers.harness import node_verify

pytestmark = pytest.mark.django_db


def _itxt(data: bytes) -> list[bytes]:
    return [body for kind, body in png_chunks(data) if kind == b"iTXt"]


def test_the_baked_chunk_is_what_ob3_says():
    png = badge_png({"id": "x", "name": "ماهر"})
    (chunk,) = _itxt(png)
    keyword, rest = chunk.split(b"\0", 1)
    assert keyword == BAKING_KEYWORD.encode() == b"openbadgecredential"
    assert rest[0] == 0 and rest[1] == 0  # not compressed
    assert rest[2:4] == b"\0\0"  # no language tag, no translated keyword
    assert Image.open(io.BytesIO(png)).size == (512, 512)


def test_the_holder_downloads_a_badge_that_verifies(client, make_user, make_issued):
    holder = make_user("trainee")
    cert = make_issued(user_id=holder.pk)
    client.force_login(holder)
    answer = client.get(reverse("registry:certificate_badge", args=[cert.serial]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["Cache-Control"] == NO_STORE  # it names its holder
    credential = baked_credential(answer.content)
    assert credential["credentialSubject"]["identifier"][1]["identityHash"] == (
        cert.full_name_ar
    )
    assert credential_verify(credential)
    assert node_verify(published(client, credential))["verified"]


def test_someone_elses_badge_is_404_and_anonymous_is_sent_to_log_in(
    client, make_user, make_issued
):
    cert = make_issued()
    url = reverse("registry:certificate_badge", args=[cert.serial])
    assert client.get(url).status_code == 302
    client.force_login(make_user("trainee"))
    assert client.get(url).status_code == 404


def test_a_corrupted_png_is_refused():
    png = bytearray(badge_png({"a": 1}))
    png[40] ^= 0xFF
    with pytest.raises(ValueError):
        baked_credential(bytes(png))
