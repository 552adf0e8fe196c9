"""What a stranger sees of a certificate holder: the name, and of the national ID only
its last four digits (no birth date, no governorate); and no shared cache keeps it."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lms.accounts.national_id import mask_national_id, mask_national_id_public

NO_STORE = "private, no-store"


def _last_four_only(nid: str) -> str:
    return "*" * 10 + nid[-4:]


def assert_only_last_four(text: str, nid: str) -> None:
    assert _last_four_only(nid) in text
    assert nid not in text
    assert mask_national_id(nid) not in text  # the staff mask keeps the birth date
    assert nid[:7] not in text  # century and birth date
    assert nid[7:9] + nid[9:] not in text  # governorate and serial


def test_public_mask_keeps_the_last_four_digits_only():
    assert mask_national_id_public("29001010112345") == "**********2345"
    assert mask_national_id_public("٢٩٠٠١٠١٠١١٢٣٤٥") == "**********2345"
    assert mask_national_id_public("") == ""
    assert mask_national_id_public("123") == "***"


def test_verify_page_shows_the_last_four_digits_only(client, make_issued):
    cert = make_issued()
    response = client.get(f"/verify/{cert.serial_display}/")
    assert response.status_code == 200
    assert cert.full_name_ar in response.content.decode()
    assert_only_last_four(response.content.decode(), cert.national_id)


def test_verify_json_shows_the_last_four_digits_only(client, make_issued):
    cert = make_issued()
    response = client.get(
        f"/api/v1/verify/{cert.serial_display}/", {"format": "json"}
    )  # a query string: through Django, not the fast path
    holder = response.json()["holder"]
    assert holder["national_id_masked"] == _last_four_only(cert.national_id)
    assert_only_last_four(response.content.decode(), cert.national_id)


def test_the_certificate_pdf_shows_the_last_four_digits_only(
    client, make_issued, make_user
):
    """The holder hands the PDF to employers: strangers too."""
    trainee = make_user("trainee")
    cert = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    client.force_login(trainee)
    response = client.get(reverse("registry:certificate_pdf", args=[cert.serial]))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert_only_last_four(text, cert.national_id)


def test_the_credential_carries_no_national_id(client, make_issued, make_user):
    trainee = make_user("trainee")
    cert = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    client.force_login(trainee)
    url = reverse("registry:certificate_credential", args=[cert.serial])
    body = client.get(url).content.decode()
    assert cert.national_id not in body
    # Nor its last four digits, outside the random parts (the salted hash, its salt
    # and the signature, hex or base58, where four digits turn up by chance).
    readable = _strings(json.loads(body), skip={"identityHash", "salt", "proofValue"})
    assert not [text for text in readable if cert.national_id[-4:] in text]


def _strings(value, *, skip: set[str]) -> list[str]:
    if isinstance(value, dict):
        return [
            s for k, v in value.items() if k not in skip for s in _strings(v, skip=skip)
        ]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, skip=skip)]
    return [str(value)]


def test_the_pending_list_shows_staff_the_full_id(client, make_pending, ministry_staff):
    """Staff work with full IDs: the public mask is for everyone else."""
    cert = make_pending()
    client.force_login(ministry_staff)
    assert cert.national_id in client.get(reverse("registry:pending")).content.decode()


@pytest.mark.parametrize("serial_of", ["issued", "unknown"])
def test_public_verification_answers_are_never_cached(client, make_issued, serial_of):
    serial = make_issued().serial_display if serial_of == "issued" else "XXXX"
    for url in (f"/verify/{serial}/", f"/api/v1/verify/{serial}/?format=json"):
        assert client.get(url)["Cache-Control"] == NO_STORE, url


def test_the_verify_form_answer_is_never_cached(client, db):
    """What was typed into it can be a national ID."""
    response = client.get(reverse("registry:verify_form"), {"serial": "29001010112345"})
    assert response["Cache-Control"] == NO_STORE


def test_certificate_downloads_are_never_cached(client, make_issued, make_user):
    trainee = make_user("trainee")
    cert = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    client.force_login(trainee)
    for name in ("registry:certificate_pdf", "registry:certificate_credential"):
        response = client.get(reverse(name, args=[cert.serial]))
        assert response.status_code == 200
        assert response["Cache-Control"] == NO_STORE, name


def test_the_registry_keys_stay_publicly_cacheable(client, db):
    assert client.get("/api/v1/registry/keys/")["Cache-Control"] == (
        "public, max-age=3600"
    )


def test_no_page_a_stranger_opens_shows_a_full_or_birth_date_id(client, make_issued):
    """Every public registry answer, HTML and JSON, for issued and revoked."""
    cert = make_issued()
    urls = [
        f"/verify/{cert.serial_display}/",
        f"/en/verify/{cert.serial_display}/",
        f"/api/v1/verify/{cert.serial_display}/?format=json",
        f"/api/v1/verify/{cert.serial}/?format=api",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert cert.national_id not in body, url
        assert mask_national_id(cert.national_id) not in body, url
        assert json.dumps(cert.national_id)[1:-1] not in body, url
