"""The API docs (Redoc) in a real browser: everything it loads comes from our host."""

import pytest

pytestmark = pytest.mark.e2e


def test_api_docs_render_from_vendored_files_only(page, server_url, shot):
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("/api/v1/docs/")
    # Redoc has fetched our schema and drawn it: the title and an operation
    page.wait_for_selector("text=Maharat API")
    page.wait_for_selector("text=/api/v1/verify/{serial}/")
    shot(page, "api-docs")
    assert requested, "the page loaded nothing"
    # our host, or what the page makes itself (Redoc's worker: a blob: of our origin)
    elsewhere = [
        url
        for url in requested
        if not url.startswith((server_url, f"blob:{server_url}", "data:"))
    ]
    assert elsewhere == [], elsewhere  # no CDN: scripts, fonts, styles, the schema
    assert failed == [], failed
    assert any(
        url.endswith("/api/v1/docs/bundles/redoc.standalone.js") for url in requested
    )
    assert any("/api/v1/schema/" in url for url in requested)
