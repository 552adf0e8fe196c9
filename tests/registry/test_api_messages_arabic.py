"""The API's refusals are written for people in Arabic, like the site (#20: the
Idempotency-Key refusal was seen in English)."""

from __future__ import annotations

import re

import pytest

from registry.models import ApiScope
from tests.registry.test_api import _client_with, _issue_body

pytestmark = pytest.mark.django_db
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize("key", [None, "", "k" * 101])
def test_a_missing_or_overlong_idempotency_key_is_refused_in_arabic(key):
    api = _client_with([ApiScope.ISSUE])
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = api.post(
        "/api/v1/registry/certificates/", _issue_body(), format="json", **headers
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "idempotency"
    assert ARABIC.search(body["message"]), body["message"]
    assert "Send an" not in body["message"]
    (field_message,) = body["fields"]["Idempotency-Key"]
    assert field_message == body["message"]


@pytest.mark.parametrize(
    ("accept", "arabic", "content_language"),
    [
        ("en", False, "en"),
        ("en-GB,en;q=0.9", False, "en"),
        ("ar", True, "ar"),
        (None, True, "ar"),
        ("fr", True, "ar"),
    ],
)
def test_the_api_answers_in_the_language_its_client_asks_for(
    accept, arabic, content_language
):
    """Arabic by default; a client that asks for English (Accept-Language) gets it:
    the API has no language prefix to choose by."""
    api = _client_with([ApiScope.ISSUE])
    headers = {} if accept is None else {"HTTP_ACCEPT_LANGUAGE": accept}
    response = api.post(
        "/api/v1/registry/certificates/", _issue_body(), format="json", **headers
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "idempotency"
    assert bool(ARABIC.search(body["message"])) is arabic, body["message"]
    assert response["Content-Language"] == content_language
    assert "Accept-Language" in response["Vary"]


def test_pages_still_take_their_language_from_the_path(client):
    """The API rule does not leak into pages: an unprefixed page stays Arabic."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "ar"
