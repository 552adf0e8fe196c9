"""A signed-in trainee's lesson page kept per user (lms/kernel/personal_pages.py):
answered again with the same headers and body as the full path (apart from the CSRF
masks), for that user only, and never once anything it shows has moved."""

from __future__ import annotations

import gzip
import re
from unittest import mock

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import LessonProgress
from lms.kernel.page_cache import forget_kept
from tests.courses.conftest import check_block, lessons_of, text_block
from tests.factories import UserFactory

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')


@pytest.fixture(autouse=True)
def kept(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 300
    forget_kept()


@pytest.fixture
def lesson(tree):
    course = tree.course(
        modules=1, lessons=2, body=lambda: [text_block("اربط الأرضي"), check_block()]
    )
    course.save_revision().publish()
    return lessons_of(course)[0]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course_id(lesson) -> int:
    return lesson.get_parent().get_parent().pk


def enrolled(user, lesson) -> Client:
    services.enrollment_create(user=user, course_id=course_id(lesson))
    return signed_in(user)


def get(client, url):
    """(answer, queries past the kernel's generation re-read)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_ACCEPT_ENCODING="")
    queries = [q for q in ctx.captured_queries if "cachegeneration" not in q["sql"]]
    return response, len(queries)


def warm(client, url):
    """The first view records the visit, the second keeps the page."""
    get(client, url)
    get(client, url)


def kept_answer(client, url):
    response, queries = get(client, url)
    assert response.status_code == 200
    return response, queries == 0  # not even the user: the session's sign-in is
    # compared with the one the entry was kept for


def test_a_repeat_view_is_kept_and_equals_the_full_path(trainee, lesson, settings):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    fast, was_kept = kept_answer(client, lesson.url)
    assert was_kept
    settings.PERSONAL_PAGE_CACHE_SECONDS = 0
    full, queries = get(client, lesson.url)
    assert queries > 1
    assert TOKEN.sub(b"", fast.content) == TOKEN.sub(b"", full.content)
    assert TOKEN.search(fast.content)
    assert dict(fast.headers) == dict(full.headers)
    assert "private" in fast["Cache-Control"] and "Cookie" in fast["Vary"]
    assert fast.cookies["csrftoken"].value == full.cookies["csrftoken"].value


def test_the_kept_pages_csrf_tokens_are_accepted(trainee, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    services.enrollment_create(
        user=trainee, course_id=lesson.get_parent().get_parent().pk
    )
    warm(client, lesson.url)
    fast, was_kept = kept_answer(client, lesson.url)
    assert was_kept
    token = re.search(rb'csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', fast.content)
    answer = client.post(
        "/i18n/setlang/",
        {
            "language": "en",
            "next": lesson.url,
            "csrfmiddlewaretoken": token[1].decode(),
        },
    )
    assert answer.status_code == 302


def test_another_trainee_never_gets_the_kept_page(trainee, lesson):
    warm(enrolled(trainee, lesson), lesson.url)
    other = signed_in(UserFactory())
    response, queries = get(other, lesson.url)
    assert queries > 1
    assert "data-progress-sync-url" not in response.content.decode()  # not enrolled


def test_signed_out_the_old_cookie_gets_no_kept_page(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    session = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    stale = Client()
    stale.cookies["sessionid"] = session
    stale.cookies["csrftoken"] = client.cookies["csrftoken"].value
    response, _queries = get(stale, lesson.url)
    assert "data-progress-sync-url" not in response.content.decode()


def test_a_password_change_signs_the_kept_page_out(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    trainee.set_password("another-long-password-1")
    trainee.save()
    response, _queries = get(client, lesson.url)
    assert "data-progress-sync-url" not in response.content.decode()


def test_progress_moves_the_kept_page(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    block_id = lesson.knowledge_check_ids()[0]
    services.knowledge_check_submit(
        user=trainee, lesson_id=lesson.pk, block_id=block_id,
        answers={0: [0], 1: [0, 1]},
    )  # fmt: skip
    response, queries = get(client, lesson.url)
    assert queries > 1


def test_publishing_moves_the_kept_page(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    lesson.title = "عنوان جديد"
    lesson.save_revision().publish()
    response, queries = get(client, lesson.url)
    assert queries > 1 and "عنوان جديد" in response.content.decode()


def test_a_visit_due_is_recorded_by_the_full_path(trainee, lesson, settings):
    settings.LESSON_OPEN_RECORD_S = 0
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    before = LessonProgress.objects.get(user=trainee, lesson=lesson).last_opened_at
    _response, queries = get(client, lesson.url)
    assert queries > 1
    after = LessonProgress.objects.get(user=trainee, lesson=lesson).last_opened_at
    assert after > before


def test_staff_pages_are_never_kept(ministry_staff, lesson):
    client = enrolled(ministry_staff, lesson)
    warm(client, lesson.url)
    _response, queries = get(client, lesson.url)
    assert queries > 1


def test_a_waiting_message_is_shown_by_the_full_path(trainee, lesson):
    """Messages wait in their cookie (FallbackStorage): the full path shows them."""
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "رسالة")])
    response, queries = get(client, lesson.url)
    assert queries > 1 and "رسالة" in response.content.decode()


def test_without_a_csrf_cookie_the_full_path_answers(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    del client.cookies["csrftoken"]
    response, queries = get(client, lesson.url)
    assert queries > 1 and "csrftoken" in response.cookies


def test_a_lesson_under_a_view_restriction_is_never_kept(trainee, lesson):
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.LOGIN
    )
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    response, queries = get(client, lesson.url)
    assert response.status_code == 200 and queries > 1


def test_a_session_holding_another_auth_hash_gets_the_full_path(trainee, lesson):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    response, queries = get(client, lesson.url)
    assert queries > 0  # Django's get_user, which signs that session out
    assert "data-progress-sync-url" not in response.content.decode()


@pytest.mark.parametrize("side", ["user", "group"])
def test_a_role_granted_moves_the_kept_page(trainee, lesson, side):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    group, _ = Group.objects.get_or_create(name="instructor")
    if side == "user":
        trainee.groups.add(group)
    else:
        group.user_set.add(trainee)
    _response, queries = get(client, lesson.url)
    assert queries > 1


def test_a_group_emptied_moves_every_kept_page(trainee, lesson):
    group, _ = Group.objects.get_or_create(name="instructor")
    group.user_set.add(UserFactory())
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    assert kept_answer(client, lesson.url)[1]
    group.user_set.clear()
    _response, queries = get(client, lesson.url)
    assert queries > 1


def test_a_new_secret_key_finds_no_kept_page(trainee, lesson, settings):
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    response, queries = get(client, lesson.url)
    assert queries > 1  # Django checks the old hash against the fallback key
    assert "data-progress-sync-url" in response.content.decode()


class CacheReads:
    """The keys asked of the shared cache (get and get_many) and the round trips."""

    def __init__(self):
        self.keys, self.trips = [], 0

    def __enter__(self):
        from django.core.cache import caches

        shared = caches["default"]
        real_get, real_get_many = shared.get, shared.get_many

        def one(key, *args, **kwargs):
            self.keys.append(key)
            self.trips += 1
            return real_get(key, *args, **kwargs)

        def many(keys, *args, **kwargs):
            self.keys.extend(keys)
            self.trips += 1
            return real_get_many(keys, *args, **kwargs)

        self._patches = [
            mock.patch.object(shared, "get", one),
            mock.patch.object(shared, "get_many", many),
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in self._patches:
            patch.stop()


def session_cache_key(client) -> str:
    from django.conf import settings

    return SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value).cache_key


def test_a_page_not_kept_reads_its_session_once(trainee, lesson, settings):
    settings.LESSON_OPEN_RECORD_S = 0  # every view records a visit: never kept
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    with CacheReads() as reads:
        _response, queries = get(client, lesson.url)
    assert queries > 1 and reads.keys.count(session_cache_key(client)) == 1


def test_a_kept_page_is_one_round_trip_to_the_shared_cache(trainee, lesson):
    """The session and the entry of the user this process last saw with it are
    read in one MGET (lms/kernel/personal_sessions.py)."""
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    with CacheReads() as reads:
        response, hit = kept_answer(client, lesson.url)
    assert hit and reads.trips == 1
    assert session_cache_key(client) in reads.keys


def test_a_session_now_naming_another_user_never_gets_the_guessed_users_page(
    trainee, lesson
):
    """The process's memory of whose session it was is a guess at which keys to
    read: the session read with them decides."""
    from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY

    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    other = UserFactory(full_name_ar="سلمى المختلفة")
    services.enrollment_create(user=other, course_id=course_id(lesson))
    store = SessionStore(client.cookies["sessionid"].value)
    store[SESSION_KEY] = str(other.pk)
    store[BACKEND_SESSION_KEY] = "lms.accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = other.get_session_auth_hash()
    store.save()
    with CacheReads() as reads:
        response, queries = get(client, lesson.url)
    assert response.status_code == 200 and queries > 0  # rendered for `other`
    assert other.full_name_ar in response.content.decode()
    assert trainee.full_name_ar not in response.content.decode()
    # the guessed user's keys read with the session, then the right user's
    assert reads.keys[3] == f"personal-state:{trainee.pk}"
    assert f"personal-state:{other.pk}" in reads.keys[5:]


def test_a_gzipped_kept_page_inflates_to_the_full_paths_page(trainee, lesson, settings):
    """The kept page is compressed once and answered with fresh tokens spliced in
    (lms/kernel/spliced_gzip.py): one gzip stream, the full path's headers."""
    client = enrolled(trainee, lesson)
    warm(client, lesson.url)
    answers = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            answers.append(client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip, br"))
        assert not [
            q for q in ctx.captured_queries if "cachegeneration" not in q["sql"]
        ]
    settings.PERSONAL_PAGE_CACHE_SECONDS = 0
    full = client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert full["Content-Encoding"] == "gzip"
    plain = gzip.decompress(full.content)
    bodies = [gzip.decompress(answer.content) for answer in answers]
    for fast, body in zip(answers, bodies, strict=True):
        assert TOKEN.sub(b"", body) == TOKEN.sub(b"", plain)
        assert len(TOKEN.findall(body)) == len(TOKEN.findall(plain)) > 0
        assert dict(fast.headers) | {"Content-Length": ""} == dict(full.headers) | {
            "Content-Length": ""
        }
        assert int(fast["Content-Length"]) == len(fast.content)
    assert TOKEN.findall(bodies[0]) != TOKEN.findall(bodies[1])  # masked afresh
    assert len(answers[0].content) < len(full.content) * 1.1  # compresses as well
