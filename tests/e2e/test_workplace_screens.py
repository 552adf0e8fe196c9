"""The workplace header and dashboard in Chromium, on a 360 px phone and a 1280 px
screen: folded menu on the phone, the full bar on the wide screen, RTL by default."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import log_in

pytestmark = pytest.mark.e2e

PEOPLE = {
    # demo users of seed_demo: head-office staff (one certificate awaits approval)
    "staff": ("staff", ["بانتظار الاعتماد", "استيراد السجلات الورقية", "الإحصاءات"]),
    "trainee": ("01000000001", ["اختبارات المهارة", "شهاداتي"]),
}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


@pytest.mark.parametrize("who", list(PEOPLE))
def test_phone_folds_the_menu_behind_one_button(new_context, shot, who):
    username, tools = PEOPLE[who]
    page = new_context().new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, username)
    page.goto("/dashboard/")
    assert page.get_attribute("html", "dir") == "rtl"
    summary = page.locator("details.menu > summary")
    first_tool = page.get_by_role("link", name=tools[0]).first
    menu_tool = page.locator("details.menu .nav").get_by_role("link", name=tools[0])
    assert summary.is_visible()
    assert not menu_tool.is_visible()
    assert first_tool.is_visible()  # the dashboard (or the bottom bar) has it too
    logout = page.locator("details.menu form[action$='/logout/'] button")
    assert not logout.is_visible()  # in the menu, with the other places
    assert page.locator("form.lang button").is_visible()
    assert page.locator("header.top").bounding_box()["height"] <= 64  # one line
    assert no_sideways_scroll(page)
    shot(page, f"{who}-360-dashboard")

    summary.click()
    assert logout.is_visible()
    for name in tools:
        assert (
            page.locator("details.menu .nav")
            .get_by_role("link", name=name)
            .is_visible()
        )
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, f"{who}-360-menu-open")

    with page.expect_navigation():
        menu_tool.click()
    assert page.locator("main h1").is_visible()


@pytest.mark.parametrize("who", list(PEOPLE))
def test_wide_screen_shows_the_whole_bar(new_context, shot, who):
    username, tools = PEOPLE[who]
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, username)
    page.goto("/dashboard/")
    assert not page.locator("details.menu > summary").is_visible()
    nav = page.locator("details.menu .nav")
    box = page.locator("header.top").bounding_box()
    assert box["height"] < 80  # one line: a section of several tools is one entry
    for name in tools:
        # (a closed section's links are out of the accessibility tree: find by text)
        link = nav.locator("a", has_text=name)
        group = link.locator("xpath=ancestor::details[contains(@class,'group')][1]")
        if group.count():  # behind its section's heading until that is opened
            assert not link.is_visible()
            group.locator("summary").click()
        assert nav.get_by_role("link", name=name).is_visible()
        if group.count():
            shot(page, f"{who}-1280-section-open")
            group.locator("summary").click()
            assert not link.is_visible()
    assert_accessible(page)
    shot(page, f"{who}-1280-dashboard")

    page.click("form.lang button")
    page.wait_for_url("**/en/dashboard/")
    assert page.get_attribute("html", "dir") == "ltr"
    shot(page, f"{who}-1280-dashboard-en")


def test_a_visitor_s_header_fits_a_360_px_phone(new_context, shot):
    page = new_context().new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    # one line: the brand, the other language and the menu (issue 20: no longer
    # three underlined links wrapping onto two or three lines)
    assert page.locator("header.top").bounding_box()["height"] <= 64
    names = ("الدورات", "تسجيل الدخول", "إنشاء حساب")
    for name in names:
        assert not page.locator("header").get_by_role("link", name=name).is_visible()
    page.click("details.menu > summary")
    for name in names:
        assert page.locator("header").get_by_role("link", name=name).is_visible()
    assert page.locator("nav.tabbar").count() == 0  # the bar is a trainee's
    assert no_sideways_scroll(page)
    shot(page, "visitor-360-home")
