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
