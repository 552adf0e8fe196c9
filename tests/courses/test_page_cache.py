"""Anonymous visitors' pages kept whole in the cache (lms/kernel/page_cache.py)."""

from __future__ import annotations

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from courses import services
from lms.kernel.page_cache import AnonymousPageCacheMiddleware, mark_public
from tests.courses.conftest import lessons_of, text_block


@pytest.fixture
def course(tree):
    course = tree.course(slug="kept", lessons=2, body=[text_block("فك المسامير")])
    course.save_revision().publish()
    return course


def test_a_repeat_anonymous_view_is_answered_from_the_cache_without_a_query(
    client, course, django_assert_num_queries
):
    first = client.get(course.url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(course.url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]
    assert "must-revalidate" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]
    assert second.cookies == {} or not second.cookies
    assert second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_the_kept_page_carries_no_csrf_token_and_a_language_link(client, course):
    html = client.get(course.url).content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert f'href="/en{course.url}"' in html


def test_a_matching_etag_is_answered_304_and_gzip_when_accepted(client, course):
    etag = client.get(course.url)["ETag"]
    assert client.get(course.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    zipped = client.get(course.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    plain = client.get(course.url).content
    assert gzip.decompress(zipped.content) == plain


def test_publishing_changes_what_anonymous_visitors_see_at_once(client, course):
    assert "أساسيات التكييف" in client.get(course.url).content.decode()
    course.title = "تكييف الهواء للمبتدئين"
    course.save_revision().publish()
    assert "تكييف الهواء للمبتدئين" in client.get(course.url).content.decode()
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    assert lesson.title not in client.get(course.url).content.decode()


def test_signed_in_visitors_and_query_strings_are_never_answered_from_it(
    client, trainee, course, django_assert_max_num_queries
):
    client.get(course.url)  # kept for anonymous visitors
    client.force_login(trainee)
    services.enrollment_create(user=trainee, course_id=course.pk)
    response = client.get(course.url)
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html  # their own page: the log-out form
    client.logout()
    catalog = "/courses/?level=1"
    client.get(catalog)
    assert "ETag" not in client.get(catalog)


@pytest.mark.django_db
def test_an_answer_that_sets_a_cookie_or_is_private_is_not_kept():
    factory = RequestFactory()
    answers = []

    def view(request):
        response = mark_public(HttpResponse(f"answer {len(answers)}"))
        if len(answers) == 0:
            response.set_cookie("csrftoken", "x")
        answers.append(response)
        return response

    middleware = AnonymousPageCacheMiddleware(view)
    first = middleware(factory.get("/courses/x/"))
    second = middleware(factory.get("/courses/x/"))
    assert first.content != second.content  # the one with a cookie was not kept
    third = middleware(factory.get("/courses/x/"))
    assert third.content == second.content  # the next one was

    def private(request):
        response = mark_public(HttpResponse(f"private {len(answers)}"))
        response["Cache-Control"] = "private, no-store"
        answers.append(response)
        return response

    middleware = AnonymousPageCacheMiddleware(private)
    one = middleware(factory.get("/courses/y/"))
    two = middleware(factory.get("/courses/y/"))
    assert one.content != two.content


def test_a_restricted_page_is_still_refused_to_anonymous_visitors(client, course):
    from wagtail.models import PageViewRestriction

    lesson = lessons_of(course)[0]
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_moved_or_unpublished_page_is_not_routed_from_the_kept_routes(
    client, tree, course
):
    lesson = lessons_of(course)[1]
    url = lesson.url
    assert client.get(url).status_code == 200
    lesson.unpublish()
    assert client.get(url).status_code == 404
    other = tree.course(slug="other", lessons=0)
    other.save_revision().publish()
    moved = lessons_of(course)[0]
    old_url = moved.url
    assert client.get(old_url).status_code == 200
    target = other.get_children().get()
    moved.move(target, pos="last-child")
    moved.refresh_from_db()
    gone = client.get(old_url)  # Wagtail's automatic redirect, not the kept route
    assert gone.status_code == 301
    assert gone["Location"] == moved.url
    assert client.get(moved.url).status_code == 200


def test_a_process_answers_its_last_pages_without_asking_redis_again(
    client, course, settings, monkeypatch
):
    """PAGE_MEMO_SECONDS: the shared cache is read once per page and process in
    that time; a change made in another process (its version bumped in Redis
    only) shows here once it is over, one made here at once."""
    from django.core.cache import cache

    from lms.kernel import page_cache

    settings.PAGE_MEMO_SECONDS = 2
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    first = client.get(course.url).content
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda *a, **k: reads.append(a) or get_many(*a, **k)
    )
    assert client.get(course.url).content == first
    assert reads == []
    cache.incr(page_cache.VERSION_KEY)  # another process's publish
    now[0] += 1
    assert client.get(course.url).content == first and reads == []
    now[0] += 1.5
    client.get(course.url)
    assert len(reads) == 1  # read again, found stale, rendered afresh
    page_cache.pages_changed()  # this process's change: at once
    client.get(course.url)
    assert len(reads) == 2


def test_without_the_memo_every_answer_reads_the_shared_cache(
    client, course, settings, monkeypatch
):
    from django.core.cache import cache

    settings.PAGE_MEMO_SECONDS = 0
    client.get(course.url)
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda *a, **k: reads.append(a) or get_many(*a, **k)
    )
    client.get(course.url)
    client.get(course.url)
    assert len(reads) == 2
