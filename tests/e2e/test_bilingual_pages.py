"""Every trainee page in Arabic and in English, as the browser shows it (issue 20).

Fails on a word of the interface left in the other language, on a digit of the other
system (Western digits in both: lms/kernel/formatting.py), on a `<title>` holding
markup, and, in English, on a link to another page of the site without `/en/`
(one tap would switch the visitor back to Arabic). What people wrote (course titles,
lesson text, names) is user content, isolated by the page (`dir="auto"`, `<bdi>`),
and may be in either language: tests/bilingual.py.
"""

from __future__ import annotations

import pytest

from tests.bilingual import interface_problems
from tests.e2e.pages import COURSE_PATH, MODULE_PATH, trainee_pages

pytestmark = pytest.mark.e2e

TRADE_PATH = COURSE_PATH.rsplit("/", 2)[0] + "/"
SIGNED_IN_EXTRA = {
    "trade": TRADE_PATH,
    "module": MODULE_PATH,
    "exams": "/exams/",
    "certificates": "/certificates/",
    "skill tests": "/skill-tests/",
    "offline": "/offline/",
    "notices": "/accounts/notices/",
    "identity": "/accounts/identity/",
}
ANONYMOUS = {
    "log in": "/accounts/login/",
    "sign up": "/accounts/signup/",
    "password reset": "/accounts/password-reset/",
    "verify form": "/verify/",
    "test centres": "/test-centres/",
}
NOT_PAGES = ("/static/", "/media/", "/api/", "/sw.js", "/jsi18n/", "/i18n/", "#")
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('hreflang') && !a.hasAttribute('download'))
  .map(a => new URL(a.href, location.href))
  .filter(u => u.origin === location.origin)
  .map(u => u.pathname)"""


def _problems(page, name: str, path: str) -> list[str]:
    found = []
    for language, prefix in (("ar", ""), ("en", "/en")):
        response = page.goto(prefix + path)
        if response is None or response.status != 200:
            found.append(f"{language} {name}: {response and response.status}")
            continue
        page.wait_for_load_state("load")
        problems = interface_problems(page.content(), language)
        if language == "en":
            problems += [
                f"link without /en/: {link}"
                for link in page.evaluate(LINKS)
                if not link.startswith(("/en/", *NOT_PAGES))
            ]
        found += [f"{language} {name} ({path}): {p}" for p in problems]
    return found


def test_every_trainee_page_speaks_one_language_with_one_digit_system(
    page, new_context, server_url
):
    _trainee, paths = trainee_pages(page, server_url)
    paths.update(SIGNED_IN_EXTRA)
    problems = []
    for name, path in paths.items():
        problems += _problems(page, name, path)
    visitor = new_context().new_page()
    for name, path in ANONYMOUS.items():
        problems += _problems(visitor, name, path)
    assert problems == [], "\n".join(problems)
