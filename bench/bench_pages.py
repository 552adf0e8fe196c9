"""Page budgets over an emulated 3G link in Debian's Chromium.

For each page trainees use most: the bytes of HTML+CSS+JS as sent compressed (media,
images and fonts excluded) against the 60 KB budget, and the time to Largest
Contentful Paint (goal ≤ 2.5 s), median of RUNS cold loads at 1.6 Mbit/s down,
750 kbit/s up, 300 ms RTT; and how many requests went to another host (should be
0); and the serious/critical axe-core violations of each page in Arabic and English
(goal 0). The pages: home, catalog, course, lesson, dashboard, exam question and
verification (tests/e2e/pages.py prepares them for one trainee) plus sign-up; a page
that answers 404 is skipped.

Run: python bench/bench_pages.py   (needs /usr/bin/chromium; starts its own server)
"""

from __future__ import annotations

import base64
import gzip
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

BUDGET_BYTES = 60 * 1024
LCP_GOAL_S = 2.5
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
THREE_G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
COUNTED = {"Document": "html", "Stylesheet": "css", "Script": "js"}
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


@dataclass(frozen=True)
class BenchPage:
    name: str
    path: str
    signed_in: bool = False


# The seven pages of issue 9 come from tests/e2e/pages.py (a trainee enrolled in a demo
# course with a skill test started); sign-up is measured too.
SIGNED_IN = {"course", "lesson", "dashboard", "exam question"}
EXTRA_PAGES: list[BenchPage] = [BenchPage("sign-up", "/accounts/signup/")]
LANGUAGES = {"ar": "", "en": "/en"}

LCP_SCRIPT = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: 'largest-contentful-paint', buffered: true});
"""


def compressed_size(cdp, request_id: str, wire_bytes: int, encoded: bool) -> int:
    """Bytes as production sends them: on the wire if compressed, else gzipped body."""
    if encoded:
        return wire_bytes
    body = cdp.send("Network.getResponseBody", {"requestId": request_id})
    raw = (
        base64.b64decode(body["body"])
        if body["base64Encoded"]
        else body["body"].encode()
    )
    return len(gzip.compress(raw, compresslevel=9))


def measure(browser, base_url: str, page_spec: BenchPage, state) -> dict | None:
    context = browser.new_context(
        base_url=base_url,
        locale="ar-EG",
        service_workers="block",
        storage_state=state if page_spec.signed_in else None,
    )
    page = context.new_page()
    page.add_init_script(LCP_SCRIPT)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    responses: dict[str, tuple[str, bool]] = {}
    finished: dict[str, int] = {}
    other_hosts: list[str] = []

    def on_response(event):
        kind = COUNTED.get(event["type"])
        if kind:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            responses[event["requestId"]] = (kind, "content-encoding" in headers)
        if not event["response"]["url"].startswith((base_url, "data:")):
            other_hosts.append(event["response"]["url"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    try:
        response = page.goto(page_spec.path, wait_until="load", timeout=60_000)
        if response is None or response.status == 404:
            return None
        page.wait_for_timeout(300)
        lcp_ms = page.evaluate("() => window.__lcp")
        sizes = {"html": 0, "css": 0, "js": 0}
        for request_id, (kind, encoded) in responses.items():
            if request_id in finished:
                sizes[kind] += compressed_size(
                    cdp, request_id, finished[request_id], encoded
                )
        return {
            "status": response.status,
            "lcp_s": lcp_ms / 1000,
            "other_hosts": len(other_hosts),
            **sizes,
        }
    finally:
        context.close()


def trainee_state(browser, base_url: str, folder: Path) -> tuple[str, list[BenchPage]]:
    """A signed-in trainee's cookies and the pages to measure."""
    from tests.e2e.pages import trainee_pages

    context = browser.new_context(base_url=base_url, service_workers="block")
    page = context.new_page()
    _trainee, paths = trainee_pages(page, base_url)
    path = folder / "state.json"
    context.storage_state(path=str(path))
    context.close()
    pages = [BenchPage(name, p, name in SIGNED_IN) for name, p in paths.items()]
    return str(path), pages + EXTRA_PAGES


def axe_counts(browser, base_url: str, spec: BenchPage, state) -> dict[str, int]:
    """Serious and critical axe-core violations of the page in each language."""
    from tests.e2e.conftest import axe_violations

    counts = {}
    for language, prefix in LANGUAGES.items():
        context = browser.new_context(
            base_url=base_url,
            service_workers="block",
            storage_state=state if spec.signed_in else None,
        )
        page = context.new_page()
        try:
            page.goto(prefix + spec.path, wait_until="load")
            counts[language] = sum(len(v["nodes"]) for v in axe_violations(page))
        finally:
            context.close()
    return counts


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is not installed")
        return 0
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import live_server

    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as base_url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            state, pages = trainee_state(browser, base_url, Path(tmp))
            print(
                f"3G: {THREE_G['latency']} ms RTT, 1.6 Mbit/s down, 750 kbit/s up; "
                f"median of {RUNS} cold loads; HTML+CSS+JS gzip KB (budget "
                f"{BUDGET_BYTES // 1024} KB), LCP goal {LCP_GOAL_S} s"
            )
            print(
                "axe: serious+critical violations (nodes) in Arabic / English (goal 0)"
            )
            print(
                f"{'page':<14}{'html':>7}{'css':>7}{'js':>7}{'total':>8}"
                f"{'budget':>8}{'LCP s':>8}{'goal':>6}{'other hosts':>13}"
                f"{'axe ar':>8}{'axe en':>8}"
            )
            for spec in pages:
                runs = [measure(browser, base_url, spec, state) for _ in range(RUNS)]
                if any(run is None for run in runs):
                    print(f"{spec.name:<14}skipped: {spec.path} answers 404")
                    continue
                axe = axe_counts(browser, base_url, spec, state)
                first = runs[0]
                total = first["html"] + first["css"] + first["js"]
                lcp = statistics.median(run["lcp_s"] for run in runs)
                print(
                    f"{spec.name:<14}{first['html'] / 1024:>7.1f}"
                    f"{first['css'] / 1024:>7.1f}{first['js'] / 1024:>7.1f}"
                    f"{total / 1024:>8.1f}"
                    f"{'ok' if total <= BUDGET_BYTES else 'OVER':>8}"
                    f"{lcp:>8.2f}{'ok' if lcp <= LCP_GOAL_S else 'OVER':>6}"
                    f"{first['other_hosts']:>13}"
                    f"{axe['ar']:>8}{axe['en']:>8}"
                )
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
