"""Journeys through the platform shell that exist today."""

import time

import pytest

from tests.e2e.conftest import assert_accessible, axe_violations
from tests.e2e.journeys import (
    EASTERN,
    log_in,
    new_trainee,
    sign_up,
    sms_code_to,
    wait_for_service_worker,
)

pytestmark = pytest.mark.e2e


def html_dir(page) -> tuple[str, str]:
    return page.get_attribute("html", "lang"), page.get_attribute("html", "dir")


def test_new_trainee_signs_up_with_eastern_arabic_id_switches_language_and_logs_out(
    page, shot
):
    page.goto("/")
    assert html_dir(page) == ("ar", "rtl")
    shot(page, "home")
    trainee = sign_up(page, new_trainee(), shot)
    assert page.locator("h1").inner_text().endswith(trainee.full_name_ar)
    assert trainee.national_id not in page.content()
    shot(page, "dashboard-ar")

    page.click("form.lang button")
    page.wait_for_url("**/en/dashboard/")
    assert html_dir(page) == ("en", "ltr")
    shot(page, "dashboard-en")

    page.click("form.lang button")
    page.wait_for_url(lambda url: "/en/" not in url and url.endswith("/dashboard/"))
    assert html_dir(page) == ("ar", "rtl")

    # (log out first sends queued progress and forgets saved lessons: lms/offline.js)
    page.click("details.menu > summary")  # the phone's menu holds "log out"
    with page.expect_navigation():
        page.click("nav form[action$='/logout/'] button")
    page.click("details.menu > summary")
    assert page.locator("nav a[href$='/accounts/login/']").is_visible()
    shot(page, "logged-out")
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url


def test_app_shell_opens_offline_with_the_offline_page(page, context, shot):
    page.goto("/accounts/login/")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "أنت غير متصل بالإنترنت"
    assert html_dir(page) == ("ar", "rtl")
    assert page.locator("#offline-status").is_visible()
    assert page.locator("[data-offline-saved-empty]").is_visible()
    shot(page, "offline-ar")

    page.goto("/en/accounts/signup/")
    assert page.locator("h1").inner_text() == "You are offline"
    assert html_dir(page) == ("en", "ltr")
    shot(page, "offline-en")
    context.set_offline(False)
    page.reload()
    assert page.locator("#id_national_id").is_visible()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ar", "en"])
def test_shell_pages_have_no_serious_accessibility_violations(page, shot, prefix):
    for path in ("/", "/accounts/signup/", "/accounts/login/", "/offline/"):
        page.goto(prefix + path)
        assert_accessible(page)
    sign_up(page)
    page.goto(prefix + "/dashboard/")
    assert_accessible(page)
    shot(page, "dashboard")


def test_accessibility_check_reports_an_unlabelled_field(page):
    page.goto("/accounts/login/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<input type=text id=nolabel><img src=/static/pwa/icon.svg>')"
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert "label" in ids


def test_new_worker_version_removes_old_shell_caches_and_keeps_saved_lessons(page):
    page.goto("/accounts/login/")
    wait_for_service_worker(page)
    names = page.evaluate(
        """async () => {
          await caches.open('maharat-shell-000000000000');
          await caches.open('maharat-offline-lessons');
          // a new script URL installs a new worker, as a new deployment does
          const fresh = await navigator.serviceWorker.register(
            '/sw.js?deploy=2', {scope: '/'});
          await new Promise((resolve) => {
            const worker = fresh.installing || fresh.waiting || fresh.active;
            if (worker.state === 'activated') return resolve();
            worker.addEventListener('statechange', () =>
              worker.state === 'activated' && resolve());
          });
          return caches.keys();
        }"""
    )
    assert "maharat-shell-000000000000" not in names
    assert "maharat-offline-lessons" in names
    assert sum(name.startswith("maharat-shell-") for name in names) == 1


def test_trainee_signs_up_with_the_keyboard_alone(page, shot):
    trainee = new_trainee()
    page.goto("/accounts/signup/")
    keyboard = page.keyboard
    keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    keyboard.press("Enter")
    steps = [
        ("id_full_name_ar", trainee.full_name_ar),
        ("id_full_name_en", ""),
        ("id_national_id", trainee.national_id.translate(EASTERN)),
        ("id_phone", trainee.phone.translate(EASTERN)),
        ("id_email", ""),
        ("id_has_disability", ""),
        ("id_password1", trainee.password),
        ("id_password2", trainee.password),
    ]
    for field_id, text in steps:
        keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == field_id
        if text:
            keyboard.type(text)
    shot(page, "typed-with-keyboard")
    sent_after = time.time() - 1
    keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/signup/code/" in url)
    # the skip link's #main follows the redirect: the main landmark has the focus,
    # and the code field is the next stop
    keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_code"
    keyboard.type(sms_code_to(page, trainee.phone, after=sent_after))
    keyboard.press("Enter")
    page.wait_for_url(lambda url: "/dashboard/" in url)
    assert page.locator("h1").inner_text().endswith(trainee.full_name_ar)


def test_trainee_resets_the_password_by_sms_and_logs_in_with_the_new_one(
    page, context, shot
):
    trainee = sign_up(page)
    context.clear_cookies()
    page.goto("/accounts/login/")
    page.click("a[href$='/accounts/password-reset/']")
    page.fill("#id_phone", trainee.phone.translate(EASTERN))
    assert_accessible(page)
    sent_after = time.time() - 1
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/password-reset/code/")
    assert_accessible(page)
    shot(page, "reset-code")
    page.fill("#id_code", sms_code_to(page, trainee.phone, after=sent_after))
    page.click("main form button.primary")
    page.wait_for_url("**/accounts/password-reset/new/")
    page.fill("#id_password1", "Tabreed-2027-new")
    page.fill("#id_password2", "Tabreed-2027-new")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/reset/done/")
    log_in(page, trainee.phone, "Tabreed-2027-new")
    assert "/dashboard/" in page.url
