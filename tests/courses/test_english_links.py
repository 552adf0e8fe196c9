"""English stays English: every address a page gives, in the language being read.

The site keeps one (Arabic) page tree and serves it under `/en/` too; Wagtail gave
each page its own locale's address, so course and lesson links on English screens had
no `/en/` and one tap went back to Arabic (issue 20).
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.courses.conftest import lessons_of

HREF = re.compile(r'href="(/[^"]*)"')
NOT_PAGES = ("/static/", "/media/", "/api/", "/cms/", "/sw.js", "/jsi18n/")


def _internal_links(html: str) -> list[str]:
    return [h for h in HREF.findall(html) if not h.startswith(NOT_PAGES)]


@pytest.mark.django_db
def test_page_addresses_follow_the_active_language(tree):
    course = tree.course()
    lesson = lessons_of(course)[0]
    with translation.override("en"):
        assert course.url.startswith("/en/courses/")
        assert lesson.get_url().startswith("/en/courses/")
        assert tree.catalog.full_url.endswith("/en/courses/")
    with translation.override("ar"):
        assert course.url.startswith("/courses/")
        assert lesson.url == lesson.url.replace("/en/", "/")


@pytest.mark.django_db
def test_course_and_lesson_links_on_english_pages_stay_english(client, tree):
    course = tree.course(lessons=2)
    with translation.override("ar"):
        trade_url, course_url = tree.trade.url, course.url
        lesson_url = lessons_of(course)[0].url
    for path in ("/en/courses/", f"/en{trade_url}", f"/en{course_url}"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        links = _internal_links(html)
        assert any(course.slug in link for link in links), path
        arabic = [
            link
            for link in links
            if not link.startswith("/en/")
            and 'hreflang="ar"' not in html.split(f'href="{link}"')[1][:40]
        ]
        assert arabic == [], f"{path}: {arabic}"
    lesson_html = client.get(f"/en{lesson_url}").content.decode()
    assert f'href="/en{course_url}"' in lesson_html  # back to the course, in English


@pytest.mark.django_db
def test_arabic_pages_keep_unprefixed_links(client, tree):
    course = tree.course()
    with translation.override("ar"):
        trade_url, course_url = tree.trade.url, course.url
    html = client.get(trade_url).content.decode()
    assert course_url.startswith("/courses/")
    assert f'href="{course_url}"' in html


@pytest.mark.django_db
def test_log_out_from_english_lands_on_the_english_home(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/en/"
