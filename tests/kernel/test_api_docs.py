"""The API docs UI loads only our files: Redoc's bundle is the vendored sidecar copy,
served without the logo it fetched from cdn.redoc.ly (the browser journey,
tests/e2e/test_api_docs.py, records every request the page makes)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from lms.kernel.api.docs import CDN_LOGO, SIDECAR_BUNDLE


def test_the_vendored_bundle_is_served_without_its_cdn_logo(client):
    vendored = Path(finders.find(SIDECAR_BUNDLE)).read_bytes()
    assert CDN_LOGO.encode() in vendored  # what the sidecar ships
    response = client.get("/api/v1/docs/bundles/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content
    assert b"cdn.redoc.ly" not in body and b"cdn." not in body
    assert len(body) > 0.99 * len(vendored)  # the bundle itself, not a stand-in


def test_the_docs_page_names_only_our_own_addresses(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    addresses = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
    assert "/api/v1/docs/bundles/redoc.standalone.js" in addresses
    assert "/api/v1/schema/" in addresses
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses)
