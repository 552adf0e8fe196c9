"""Trainee pages: catalog, course, lesson (prev/next, progress, query bound)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses import services
from courses.models import LessonProgress
from tests.courses.conftest import check_block, lessons_of, text_block

# Nothing may cost per lesson; issue 19 pins the lesson view at 8
# (tests/courses/test_page_costs.py).
LESSON_PAGE_MAX_QUERIES = 8


def body():
    return [text_block("اربط سلك الأرضي أولاً"), check_block("kc1")]


@pytest.fixture
def course(tree):
    course = tree.course(modules=2, lessons=2, body=body)
    course.save_revision().publish()
    return course


def test_catalog_lists_published_courses_at_its_named_url(client, tree, course):
    tree.course(slug="draft-course", title="مسودة", live=False)
    response = client.get(reverse("courses:catalog"))
    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html
    assert "مسودة" not in html


def test_catalog_filters_by_level_and_audience(client, tree, course):
    from registry.models import SkillLevel

    top = SkillLevel.objects.order_by("-rank").first()
    women = tree.course(slug="women", title="دورة للسيدات", audience="women")
    women.save_revision().publish()
    html = client.get(reverse("courses:catalog"), {"audience": "women"}).content
    assert "دورة للسيدات".encode() in html and course.title.encode() not in html
    html = client.get(reverse("courses:catalog"), {"level": top.code}).content.decode()
    assert "دورة للسيدات" not in html


def test_catalog_filters_by_trade(client, tree, course):
    from courses.models import CoursePage, TradePage
    from registry.models import Occupation

    tailoring = tree.catalog.add_child(
        instance=TradePage(
            title="الخياطة",
            slug="tailoring",
            trade="tailoring",
            occupation=Occupation.objects.get(code="7531"),
        )
    )
    dress = tailoring.add_child(
        instance=CoursePage(
            title="خياطة الفساتين",
            slug="dress",
            occupation=tailoring.occupation,
            skill_level=tree.level,
        )
    )
    dress.save_revision().publish()
    html = client.get(reverse("courses:catalog"), {"trade": "tailoring"}).content
    html = html.decode()
    assert "خياطة الفساتين" in html and course.title not in html


def test_course_page_shows_syllabus_and_enrol_button(client, trainee, course):
    client.force_login(trainee)
    html = client.get(course.url).content.decode()
    assert "الوحدة 1" in html and "الدرس 2.2" in html
    assert reverse("courses:enrol", args=[course.pk]) in html


def test_enrol_form_enrols_and_shows_progress(client, trainee, course):
    client.force_login(trainee)
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    html = client.get(course.url).content.decode()
    assert reverse("courses:leave", args=[course.pk]) in html
    assert 'max="100" value="0"' in html


def test_anonymous_cannot_enrol_through_the_form(client, course):
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_lesson_page_has_previous_and_next(client, trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lessons = lessons_of(course)
    html = client.get(lessons[1].url).content.decode()
    assert f'rel="prev" href="{lessons[0].url}"' in html
    assert f'rel="next" href="{lessons[2].url}"' in html


def test_opening_a_lesson_records_progress_and_continue_link(client, trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lesson = lessons_of(course)[2]
    client.get(lesson.url)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).exists()
    html = client.get(course.url).content.decode()
    assert f'class="btn" href="{lesson.url}"' in html


def _form_html(html: str) -> str:
    form = html[
        html.index('<form class="kc"') : html.index(
            "</form>", html.index('<form class="kc"')
        )
    ]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)


def test_knowledge_check_answers_are_not_in_the_page(client, trainee, course):
    """Flipping which choices are correct must not change a byte of the page."""
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lesson = lessons_of(course)[0]
    before = client.get(lesson.url).content.decode()
    assert "ما لون سلك الأرضي؟" in before and "أخضر/أصفر" in before
    assert "الأرضي أخضر مخطط بالأصفر" not in before  # explanation: after answering
    flipped = check_block("kc1")
    for question in flipped["value"]["questions"]:
        for choice in question["choices"]:
            choice["correct"] = not choice["correct"]
    lesson.body = [text_block("اربط سلك الأرضي أولاً"), flipped]
    lesson.save_revision().publish()
    after = client.get(lesson.url).content.decode()
    assert _form_html(before) == _form_html(after)


def test_knowledge_check_works_without_javascript(client, trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lesson = lessons_of(course)[0]
    response = client.post(lesson.url, {"check": "kc1", "q0": "0", "q1": ["0", "1"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "الأرضي أخضر مخطط بالأصفر" in html
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at


def test_unpublished_lesson_is_invisible_to_trainees(client, trainee, course):
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    assert client.get(lesson.url).status_code == 404
    assert lesson.title not in client.get(course.url).content.decode()


def test_lesson_page_query_count_does_not_grow_with_course_size(
    client, tree, trainee, django_assert_max_num_queries
):
    small = tree.course(slug="small", modules=1, lessons=2, body=body)
    big = tree.course(slug="big", modules=3, lessons=5, body=body)
    for course in (small, big):
        course.save_revision().publish()
        services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    for course in (small, big):
        lesson = lessons_of(course)[-1]
        client.get(lesson.url)  # first visit writes the progress row
        with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES):
            assert client.get(lesson.url).status_code == 200


def test_dashboard_lists_my_courses(client, trainee, course):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    html = client.get(reverse("home:dashboard")).content.decode()
    assert course.title in html


def test_my_courses_go_on_at_the_last_lesson_while_it_is_published(
    trainee, course, django_assert_max_num_queries
):
    from courses.models import Enrollment
    from courses.selectors import my_courses

    services.enrollment_create(user=trainee, course_id=course.pk)
    lessons = lessons_of(course)
    Enrollment.objects.filter(user=trainee).update(last_lesson=lessons[2])
    LessonProgress.objects.create(
        user=trainee,
        lesson=lessons[0],
        course=course,
        opened_at="2026-01-01T09:00Z",
        last_opened_at="2026-01-01T09:00Z",
        completed_at="2026-01-01T10:00Z",
    )
    my_courses(user=trainee)  # the course's structure kept
    with django_assert_max_num_queries(2):  # enrolments, completions: no pages
        [row] = my_courses(user=trainee)
    assert (row.title, row.url) == (course.title, course.url)
    assert row.continue_url == lessons[2].url
    assert row.percent == 25  # one of the four lessons
    lessons[2].unpublish()  # the structure moves with the page
    [row] = my_courses(user=trainee)
    assert row.continue_url == course.url
