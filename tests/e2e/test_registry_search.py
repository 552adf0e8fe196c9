"""Staff find a certificate in Chromium on a 360 px phone: search by a name typed
without its hamza, open the certificate page (evidence, history, actions), and the
typed national ID never reaches the address bar."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import log_in

pytestmark = pytest.mark.e2e


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_staff_search_by_name_then_open_the_certificate(new_context, shot):
    page = new_context().new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "staff")  # head office (seed_demo)
    page.goto("/registry/search/")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "search-form")
    page.fill("#id_text", "مني")  # Mona's name, typed with ي for ى
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    assert "?s=" in page.url
    rows = page.locator("main ol.results li.result")
    assert rows.count() >= 1
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, "search-results")

    with page.expect_navigation():
        rows.first.locator("a").first.click()
    assert page.locator("main h1").inner_text().startswith("الشهادة")
    assert page.get_by_role("heading", name="الأدلة").is_visible()
    assert page.get_by_role("heading", name="السجل التاريخي").is_visible()
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, "certificate-page")


def test_national_id_search_keeps_the_id_out_of_the_address(new_context):
    page = new_context().new_page()
    log_in(page, "staff")
    page.goto("/registry/search/")
    typed = "29001011234567"
    page.fill("#id_national_id", typed)
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    assert typed not in page.url
    history = page.evaluate("() => location.href + document.referrer")
    assert typed not in history


def test_trainee_is_refused_the_search(new_context):
    page = new_context().new_page()
    log_in(page, "01000000001")
    answer = page.goto("/registry/search/")
    assert answer.status == 403
