"""The functions other apps call (HELPERS.md contract)."""

from __future__ import annotations

import pytest

from courses import selectors, services
from courses.data import CourseData
from courses.models import CourseCompletion
from courses.signals import course_completed
from lms.kernel.errors import Forbidden, Invalid, NotFound
from tests.courses.conftest import lessons_of


@pytest.fixture
def course(tree, instructor):
    course = tree.course(modules=1, lessons=1)
    course.instructors.add(instructor)
    course.save_revision().publish()
    return course


def test_course_get_returns_plain_data(course, instructor):
    data = selectors.course_get(course_id=course.pk)
    assert data.id == course.pk
    assert data.title == course.title
    assert data.occupation_code == "7127"
    assert data.level_code == course.skill_level.code
    assert data.instructor_ids == (instructor.pk,)
    assert data.url.endswith(f"/{course.slug}/")


def test_course_list_for_instructor_lists_only_their_courses(tree, course, instructor):
    tree.course(slug="other")
    titles = [c.id for c in selectors.course_list_for_instructor(user=instructor)]
    assert titles == [course.pk]


def test_enrollment_exists_until_the_trainee_leaves(course, trainee):
    assert not selectors.enrollment_exists(user=trainee, course_id=course.pk)
    services.enrollment_create(user=trainee, course_id=course.pk)
    assert selectors.enrollment_exists(user=trainee, course_id=course.pk)
    assert selectors.enrolled_user_ids(course_id=course.pk) == [trainee.pk]
    services.enrollment_leave(user=trainee, course_id=course.pk)
    assert not selectors.enrollment_exists(user=trainee, course_id=course.pk)
    assert selectors.enrolled_user_ids(course_id=course.pk) == []


def test_live_attendance_completes_course_once_and_signals_once(
    tree, trainee, django_capture_on_commit_callbacks
):
    course = tree.course(modules=1, lessons=1, min_live_minutes=60)
    course.save_revision().publish()
    lesson = lessons_of(course)[0]
    services.enrollment_create(user=trainee, course_id=course.pk)
    received = []

    def handler(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.lesson_open(user=trainee, lesson_id=lesson.pk)
            services.live_attendance_set(
                user_id=trainee.pk,
                course_id=course.pk,
                source_key="class:1",
                minutes=40,
            )
        assert not CourseCompletion.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.live_attendance_set(
                user_id=trainee.pk,
                course_id=course.pk,
                source_key="class:2",
                minutes=20,
            )
            services.live_attendance_set(
                user_id=trainee.pk,
                course_id=course.pk,
                source_key="class:2",
                minutes=20,
            )
    finally:
        course_completed.disconnect(handler)
    assert CourseCompletion.objects.filter(user=trainee, course=course).count() == 1
    assert len(received) == 1
    assert received[0]["user_id"] == trainee.pk
    assert received[0]["course_id"] == course.pk
    assert selectors.course_completed(
        user=trainee, occupation_code="7127", level_code=course.skill_level.code
    )
    assert not selectors.course_completed(
        user=trainee, occupation_code="7531", level_code=course.skill_level.code
    )


def test_live_attendance_set_is_idempotent_per_source(course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    for _ in range(3):
        services.live_attendance_set(
            user_id=trainee.pk, course_id=course.pk, source_key="class:7", minutes=30
        )
    assert selectors.live_minutes_total(user_id=trainee.pk, course_id=course.pk) == 30


def test_live_attendance_refuses_negative_minutes(course, trainee):
    with pytest.raises(Invalid) as err:
        services.live_attendance_set(
            user_id=trainee.pk, course_id=course.pk, source_key="class:7", minutes=-1
        )
    assert err.value.code == "negative_minutes"
    assert selectors.live_minutes_total(user_id=trainee.pk, course_id=course.pk) == 0


def test_live_attendance_for_an_unknown_course_is_not_found(trainee, db):
    with pytest.raises(NotFound):
        services.live_attendance_set(
            user_id=trainee.pk, course_id=999999, source_key="class:7", minutes=5
        )


def test_course_get_of_an_unknown_or_unpublished_course_is_not_found(tree, db):
    draft = tree.course(slug="draft", live=False)
    assert isinstance(selectors.course_get(course_id=draft.pk), CourseData)
    with pytest.raises(NotFound) as err:
        selectors.course_get(course_id=draft.pk, published=True)
    assert err.value.code == "course_not_found"
    with pytest.raises(NotFound):
        selectors.course_get(course_id=999999)


def test_cohort_is_for_the_course_instructors_and_ministry_staff(
    course, instructor, make_user
):
    assert selectors.cohort_course_get(user=instructor, course_id=course.pk).id
    staff = make_user("ministry_staff")
    assert selectors.cohort_course_get(user=staff, course_id=course.pk).id
    other = make_user("instructor")
    with pytest.raises(Forbidden):
        selectors.cohort_course_get(user=other, course_id=course.pk)
    with pytest.raises(Forbidden):
        selectors.course_list_taught(user=make_user("trainee"))
    assert selectors.course_list_taught(user=other) == []
