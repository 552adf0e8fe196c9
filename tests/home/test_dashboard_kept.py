"""A trainee's dashboard kept per user (lms.kernel.personal_pages, issue 19): read
again from the kept entry without the database, for trainees only, never past the
time a panel gave, and never once something it shows has moved (enrolment,
progress here; the apps' own changes in tests/<app>/test_dashboard_kept.py)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import Permission
from wagtail import hooks

from courses import services
from lms.kernel.panels import (
    HOOK_NAME,
    UNSHOWN,
    DashboardPanel,
    nothing_until,
    panels_kept_until,
)
from tests.courses.conftest import (
    TreeBuilder,
    check_block,
    lessons_of,
    text_block,
)
from tests.home.kept_pages import Clock, dashboard, fresh, kept, signed_in

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def course(db):
    course = TreeBuilder().course(
        slug="wiring",
        modules=1,
        lessons=2,
        body=lambda: [text_block("اربط الأرضي"), check_block()],
    )
    course.save_revision().publish()
    return course


def test_a_second_read_is_the_kept_entry_and_equals_the_full_path(
    trainee, course, settings
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client = signed_in(trainee)
    page = kept(client)
    assert course.title in page
    settings.PERSONAL_PAGE_CACHE_SECONDS = 0
    full, queries = dashboard(client)
    assert queries > 1
    assert TOKEN.sub("", page) == TOKEN.sub("", full)


def test_an_account_without_a_role_is_kept_too(make_user, course):
    """No work queue to show (the benchmark's trainee is such an account)."""
    user = make_user(None)
    services.enrollment_create(user=user, course_id=course.pk)
    assert course.title in kept(signed_in(user))


def test_enrolling_shows_the_course_at_once(trainee, course):
    client = signed_in(trainee)
    assert course.title not in kept(client)
    services.enrollment_create(user=trainee, course_id=course.pk)
    assert course.title in fresh(client)
    assert course.title in kept(client)


def test_progress_shows_at_once(trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client = signed_in(trainee)
    assert 'value="0"' in kept(client)
    lesson = lessons_of(course)[0]
    services.knowledge_check_submit(
        user=trainee, lesson_id=lesson.pk, block_id=lesson.knowledge_check_ids()[0],
        answers={0: [0], 1: [0, 1]},
    )  # fmt: skip
    assert 'value="50"' in fresh(client)


def test_leaving_a_course_takes_it_off_at_once(trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client = signed_in(trainee)
    assert course.title in kept(client)
    services.enrollment_leave(user=trainee, course_id=course.pk)
    assert course.title not in fresh(client)


@pytest.mark.parametrize(
    "kind",
    [
        "instructor",
        "instructor_without_course",
        "assessor",
        "content_editor",
        "content_reviewer",
        "directorate_staff",
        "head_office_staff",
        "superuser",
    ],
)
def test_other_roles_dashboards_are_never_kept(person, kind):
    client = signed_in(person(kind))
    for _ in range(3):
        _page, queries = dashboard(client)
        assert queries > 0


def test_a_trainee_who_also_teaches_is_not_kept(trainee):
    from django.contrib.auth.models import Group

    client = signed_in(trainee)
    kept(client)
    trainee.groups.add(Group.objects.get(name="instructor"))
    for _ in range(3):
        _page, queries = dashboard(client)
        assert queries > 0


def test_a_trainee_given_the_cms_directly_is_not_kept(trainee):
    """A permission of the user's own (no role) adds the CMS to the dashboard."""
    client = signed_in(trainee)
    kept(client)
    trainee.user_permissions.add(Permission.objects.get(codename="access_admin"))
    page, queries = dashboard(client)
    assert queries > 0
    for _ in range(2):
        _page, queries = dashboard(client)
        assert queries > 0


def test_a_panel_that_refuses_keeping_stops_it(trainee):
    def refusing(request):
        return DashboardPanel(slot=UNSHOWN, template="", keep=False)

    client = signed_in(trainee)
    with hooks.register_temporarily(HOOK_NAME, refusing):
        for _ in range(3):
            _page, queries = dashboard(client)
            assert queries > 0
    kept(client)


def test_a_panel_s_time_ends_the_keep(trainee, monkeypatch):
    clock = Clock(monkeypatch)
    until = time.time() + 120

    def timed(request):
        return nothing_until(until)

    client = signed_in(trainee)
    with hooks.register_temporarily(HOOK_NAME, timed):
        kept(client)
        clock.advance(seconds=110)
        _page, queries = dashboard(client)
        assert queries == 0
        clock.advance(seconds=11)
        fresh(client)


def test_panels_kept_until_is_the_soonest_and_none_on_a_refusal():
    def panel(**kw):
        return DashboardPanel(slot="courses", template="x.html", **kw)

    assert panels_kept_until([]) == float("inf")
    assert panels_kept_until([panel(), panel(valid_until=20.0)]) == 20.0
    assert panels_kept_until([panel(valid_until=30.0), nothing_until(10.0)]) == 10.0
    assert panels_kept_until([panel(valid_until=5.0), panel(keep=False)]) is None
