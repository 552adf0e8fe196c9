"""What the pages trainees open most cost in queries (issue 19), pinned so that a
regression fails CI: lesson view ≤ 8, course page ≤ 6, dashboard ≤ 10, none growing
with the size of a course or the number of courses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonProgress
from tests.courses.conftest import check_block, lessons_of, text_block

LESSON_MAX = 8
COURSE_MAX = 6
DASHBOARD_MAX = 10


def body():
    return [text_block("اربط سلك الأرضي أولاً"), check_block()]


@pytest.fixture
def courses(tree):
    made = []
    for slug, modules, lessons in (("small", 1, 2), ("big", 3, 5)):
        course = tree.course(slug=slug, modules=modules, lessons=lessons, body=body)
        course.save_revision().publish()
        made.append(course)
    return made


def test_a_lesson_view_costs_at_most_8_queries_whatever_the_course_size(
    client, trainee, courses, django_assert_max_num_queries
):
    client.force_login(trainee)
    for course in courses:
        services.enrollment_create(user=trainee, course_id=course.pk)
        lesson = lessons_of(course)[-1]
        client.get(lesson.url)  # the first visit writes its progress row
        with django_assert_max_num_queries(LESSON_MAX):
            assert client.get(lesson.url).status_code == 200


def test_a_first_visit_is_recorded_and_a_repeat_one_a_moment_later_writes_nothing(
    client, trainee, courses, django_assert_max_num_queries, settings
):
    course = courses[0]
    services.enrollment_create(user=trainee, course_id=course.pk)
    first, second = lessons_of(course)
    client.force_login(trainee)
    client.get(first.url)
    progress = LessonProgress.objects.get(user=trainee, lesson=first)
    assert (
        Enrollment.objects.get(user=trainee, course=course).last_lesson_id == first.pk
    )
    opened = progress.last_opened_at
    client.get(first.url)
    assert LessonProgress.objects.get(pk=progress.pk).last_opened_at == opened
    # "continue here" follows the trainee at once
    client.get(second.url)
    assert (
        Enrollment.objects.get(user=trainee, course=course).last_lesson_id == second.pk
    )
    # a visit after the interval is a new visit for the reports
    LessonProgress.objects.filter(pk=progress.pk).update(
        last_opened_at=timezone.now()
        - dt.timedelta(seconds=settings.LESSON_OPEN_RECORD_S + 1)
    )
    client.get(first.url)
    assert LessonProgress.objects.get(pk=progress.pk).last_opened_at > opened


def test_a_lesson_without_video_or_check_completes_on_its_first_visit(
    client, trainee, tree
):
    course = tree.course(slug="reading", lessons=1, body=[text_block("اقرأ")])
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    (lesson,) = lessons_of(course)
    client.get(lesson.url)
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at


def test_the_course_page_costs_at_most_6_queries_signed_in_or_not(
    client, trainee, courses, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself, not the anonymous cache
    big = courses[1]
    client.get(big.url)
    with django_assert_max_num_queries(COURSE_MAX):
        assert client.get(big.url).status_code == 200
    services.enrollment_create(user=trainee, course_id=big.pk)
    client.force_login(trainee)
    client.get(lessons_of(big)[0].url)
    client.get(big.url)
    with django_assert_max_num_queries(COURSE_MAX):
        response = client.get(big.url)
    assert response.status_code == 200
    assert "1" in response.content.decode()


def test_the_dashboard_costs_at_most_10_queries_whatever_the_number_of_courses(
    client, trainee, tree, courses, django_assert_max_num_queries
):
    for n in range(3):
        extra = tree.course(slug=f"extra-{n}", body=body)
        extra.save_revision().publish()
        courses.append(extra)
    client.force_login(trainee)
    for course in courses:
        services.enrollment_create(user=trainee, course_id=course.pk)
        client.get(lessons_of(course)[0].url)
    client.get(reverse("home:dashboard"))
    with django_assert_max_num_queries(DASHBOARD_MAX):
        html = client.get(reverse("home:dashboard")).content.decode()
    for course in courses:
        assert course.title in html


def test_a_published_lesson_appears_in_the_outline_at_once(client, trainee, tree):
    from courses.models import LessonPage, ModulePage

    course = tree.course(slug="growing", lessons=1, body=body)
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    (lesson,) = lessons_of(course)
    assert "1" in client.get(lesson.url).content.decode()
    module = ModulePage.objects.child_of(course).get()
    added = module.add_child(
        instance=LessonPage(title="درس جديد عن الضاغط", slug="new", body=body())
    )
    added.save_revision().publish()
    html = client.get(course.url).content.decode()
    assert "درس جديد عن الضاغط" in html
    nav = client.get(lesson.url).content.decode()
    assert 'rel="next"' in nav and "درس جديد عن الضاغط" in nav
