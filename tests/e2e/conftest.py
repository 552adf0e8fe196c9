"""Browser journeys in Debian's Chromium, driven by Playwright for Python.

The browser is never downloaded: `/usr/bin/chromium` (installed by .ci/run) or
CHROMIUM_PATH. Without it the journeys are skipped with a reason, except in CI
(CI=true), where they fail. Screenshots of every step go to test-artifacts/.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest

from tests.e2e.harness import ROOT, live_server

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
# A test tool, kept out of the site's static files (collectstatic would publish it).
AXE_JS = next((Path(__file__).parent / "vendor").glob("axe-core-*/axe.min.js"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"CI needs Chromium for the browser journeys: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def server_url(tmp_path_factory) -> str:
    _require_chromium()
    with live_server(tmp_path_factory.mktemp("e2e")) as url:
        yield url


@pytest.fixture(scope="package")
def browser():
    """Package-scoped: Playwright's sync API keeps an event loop running while it is
    open, and Django then refuses ORM calls in every later (non-browser) test."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _new_context(browser, server_url: str):
    context = browser.new_context(
        base_url=server_url,
        locale="ar-EG",
        service_workers="allow",
        viewport={"width": 390, "height": 780},
    )
    context.set_default_timeout(10_000)
    # Every page runs under the enforced CSP: a blocked script, style or frame is a
    # broken page, whichever test walks through it.
    context.csp_violations = []
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and context.csp_violations.append(message.text)
        ),
    )
    return context


def _assert_no_csp_violation(context) -> None:
    assert context.csp_violations == [], "\n".join(context.csp_violations)


@pytest.fixture
def context(browser, server_url):
    context = _new_context(browser, server_url)
    yield context
    context.close()
    _assert_no_csp_violation(context)


@pytest.fixture
def new_context(browser, server_url):
    """More people in the same journey (instructor, assessor, staff): each call
    opens another browser context (own cookies), closed after the test."""
    opened = []

    def make():
        opened.append(_new_context(browser, server_url))
        return opened[-1]

    yield make
    for context in opened:
        context.close()
    for context in opened:
        _assert_no_csp_violation(context)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def shot(request):
    """`shot(page, "signed-up")` saves test-artifacts/<test>/<n>-signed-up.png."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(page, step: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; the violations of those impacts."""
    if not page.evaluate("() => Boolean(window.axe)"):
        # Evaluated through the browser's debugging protocol, which the page's CSP
        # does not govern; an injected inline <script> would be refused.
        page.evaluate(_axe_source())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the current page."""
    violations = axe_violations(page)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core on {page.url}:\n{report}"
