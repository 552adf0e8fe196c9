"""Lesson progress: plausibility, idempotency, knowledge checks, completion rules."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone

from courses import services
from courses.models import (
    CheckResult,
    CourseCompletion,
    Enrollment,
    LessonProgress,
    VideoProgress,
)
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from media_pipeline.models import VideoAsset
from tests.courses.conftest import check_block, lessons_of, text_block, video_block

T0 = timezone.now() - dt.timedelta(hours=2)


@contextmanager
def refused(kind: type[ServiceError], code: str):
    """The service refuses with this coded error (its status and its code)."""
    with pytest.raises(kind) as err:
        yield
    assert err.value.code == code and err.value.message


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def asset(db):
    return VideoAsset.objects.create(title="دورة التبريد", original="videos/x.mp4")


@pytest.fixture
def video_course(tree, asset):
    course = tree.course(
        modules=1, lessons=1, body=lambda: [text_block("مقدمة"), video_block(asset.pk)]
    )
    course.save_revision().publish()
    return course


@pytest.fixture
def enrolled_lesson(video_course, trainee):
    services.enrollment_create(user=trainee, course_id=video_course.pk)
    lesson = lessons_of(video_course)[0]
    assert services.lesson_open(user=trainee, lesson_id=lesson.pk, at=at(0))
    return lesson


def beat(user, lesson, asset, watched, when, duration=100):
    return services.video_heartbeat_record(
        user=user,
        lesson_id=lesson.pk,
        asset_id=asset.pk,
        watched_s=watched,
        position_s=watched,
        duration_s=duration,
        at=at(when),
    )


def test_plausible_heartbeat_is_recorded(enrolled_lesson, trainee, asset):
    result = beat(trainee, enrolled_lesson, asset, watched=10, when=11)
    assert result.accepted
    assert VideoProgress.objects.get(user=trainee).watched_s == 10


def test_heartbeat_claiming_more_seconds_than_elapsed_is_refused(
    enrolled_lesson, trainee, asset
):
    beat(trainee, enrolled_lesson, asset, watched=10, when=10)
    with refused(Conflict, "faster_than_time"):
        beat(trainee, enrolled_lesson, asset, watched=60, when=20)
    assert VideoProgress.objects.get(user=trainee).watched_s == 10


def test_first_heartbeat_is_measured_from_lesson_opening(
    enrolled_lesson, trainee, asset
):
    with refused(Conflict, "faster_than_time"):
        beat(trainee, enrolled_lesson, asset, watched=90, when=30)
    assert not VideoProgress.objects.exists()


def test_replayed_heartbeat_changes_nothing(enrolled_lesson, trainee, asset):
    beat(trainee, enrolled_lesson, asset, watched=10, when=10)
    before = VideoProgress.objects.get(user=trainee)
    replay = beat(trainee, enrolled_lesson, asset, watched=10, when=10)
    after = VideoProgress.objects.get(user=trainee)
    assert replay.detail == "unchanged"
    assert (after.watched_s, after.last_accepted_at) == (
        before.watched_s,
        before.last_accepted_at,
    )


def test_heartbeat_going_backwards_does_not_lower_progress(
    enrolled_lesson, trainee, asset
):
    beat(trainee, enrolled_lesson, asset, watched=30, when=35)
    beat(trainee, enrolled_lesson, asset, watched=5, when=40)
    assert VideoProgress.objects.get(user=trainee).watched_s == 30


def test_heartbeat_longer_than_the_video_is_refused(enrolled_lesson, trainee, asset):
    with refused(Conflict, "longer_than_video"):
        beat(trainee, enrolled_lesson, asset, watched=500, when=1000, duration=100)


def test_heartbeat_for_a_video_not_in_the_lesson_is_refused(
    enrolled_lesson, trainee, db
):
    other = VideoAsset.objects.create(title="x", original="videos/y.mp4")
    with refused(Conflict, "video_not_in_lesson"):
        beat(trainee, enrolled_lesson, other, watched=5, when=10)


def test_heartbeat_from_a_trainee_not_enrolled_is_refused(
    video_course, make_user, asset
):
    stranger = make_user("trainee")
    lesson = lessons_of(video_course)[0]
    with refused(Conflict, "not_enrolled"):
        beat(stranger, lesson, asset, watched=5, when=10)


def test_heartbeat_dated_in_the_future_is_refused(enrolled_lesson, trainee, asset):
    with refused(Conflict, "future_report"):
        services.video_heartbeat_record(
            user=trainee,
            lesson_id=enrolled_lesson.pk,
            asset_id=asset.pk,
            watched_s=5,
            position_s=5,
            duration_s=100,
            at=timezone.now() + dt.timedelta(hours=1),
        )


def test_watching_past_the_threshold_completes_a_video_lesson(
    enrolled_lesson, trainee, asset, video_course
):
    beat(trainee, enrolled_lesson, asset, watched=50, when=55)
    assert LessonProgress.objects.get(user=trainee).completed_at is None
    beat(trainee, enrolled_lesson, asset, watched=80, when=90)
    assert LessonProgress.objects.get(user=trainee).completed_at is not None
    assert CourseCompletion.objects.filter(user=trainee, course=video_course).exists()


# --- Knowledge checks -----------------------------------------------------------------


@pytest.fixture
def check_course(tree, trainee):
    course = tree.course(
        modules=1, lessons=2, body=lambda: [text_block("نص"), check_block("kc1")]
    )
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    return course


def submit(user, lesson, answers, block_id="kc1"):
    return services.knowledge_check_submit(
        user=user, lesson_id=lesson.pk, block_id=block_id, answers=answers
    )


def test_correct_answers_pass_the_check(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    result = submit(trainee, lesson, {0: [0], 1: [0, 1]})
    assert result.score_pct == 100 and result.passed
    assert [r.correct for r in result.results] == [True, True]


def test_partly_wrong_multiple_choice_is_wrong(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    result = submit(trainee, lesson, {0: [0], 1: [0]})
    assert result.score_pct == 50
    assert not result.passed
    assert CheckResult.objects.get(user=trainee).passed_at is None


def test_a_later_worse_answer_keeps_the_best_score(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    submit(trainee, lesson, {0: [0], 1: [0, 1]})
    submit(trainee, lesson, {0: [1], 1: [2]})
    result = CheckResult.objects.get(user=trainee)
    assert result.best_score_pct == 100 and result.passed_at is not None


def test_replayed_answer_changes_nothing(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    submit(trainee, lesson, {0: [0], 1: [0, 1]})
    first = CheckResult.objects.values().get(user=trainee)
    submit(trainee, lesson, {0: [0], 1: [0, 1]})
    assert CheckResult.objects.values().get(user=trainee) == first


def test_answer_to_unknown_check_is_refused(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    with refused(NotFound, "check_not_found"):
        submit(trainee, lesson, {0: [0]}, block_id="nope")


def test_answer_with_a_choice_out_of_range_is_refused(check_course, trainee):
    lesson = lessons_of(check_course)[0]
    with refused(Invalid, "unknown_choice"):
        submit(trainee, lesson, {0: [9]})
    with refused(Invalid, "unknown_question"):
        submit(trainee, lesson, {5: [0]})
    assert not CheckResult.objects.exists()


def test_course_completes_only_when_every_required_lesson_is_done(
    check_course, trainee
):
    first, second = lessons_of(check_course)
    submit(trainee, first, {0: [0], 1: [0, 1]})
    assert not CourseCompletion.objects.exists()
    submit(trainee, second, {0: [0], 1: [0, 1]})
    completion = CourseCompletion.objects.get(user=trainee, course=check_course)
    assert completion.completed_at is not None
    assert Enrollment.objects.get(user=trainee).status == "completed"


def test_optional_lessons_are_not_needed_for_completion(check_course, trainee):
    first, second = lessons_of(check_course)
    second.required = False
    second.save_revision().publish()
    submit(trainee, first, {0: [0], 1: [0, 1]})
    assert CourseCompletion.objects.filter(user=trainee).count() == 1


def test_completion_is_recorded_once(check_course, trainee):
    first, second = lessons_of(check_course)
    for lesson in (first, second, first, second):
        submit(trainee, lesson, {0: [0], 1: [0, 1]})
    stamp = CourseCompletion.objects.get(user=trainee).completed_at
    services.live_attendance_set(
        user_id=trainee.pk, course_id=check_course.pk, source_key="c:1", minutes=5
    )
    assert CourseCompletion.objects.filter(user=trainee).count() == 1
    assert CourseCompletion.objects.get(user=trainee).completed_at == stamp


def test_pass_mark_comes_from_the_course(tree, trainee):
    course = tree.course(
        modules=1, lessons=1, body=lambda: [check_block("kc1")], check_pass_pct=50
    )
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    result = submit(trainee, lessons_of(course)[0], {0: [0], 1: [2]})
    assert result.passed


# --- Enrolment ------------------------------------------------------------------------


def test_cannot_enrol_in_an_unpublished_course(tree, trainee):
    course = tree.course(live=False)
    with refused(NotFound, "course_not_found"):
        services.enrollment_create(user=trainee, course_id=course.pk)
    assert not Enrollment.objects.exists()


def test_man_cannot_enrol_in_a_women_only_cohort(tree, make_user):
    course = tree.course(audience="women")
    course.save_revision().publish()
    man = make_user("trainee", national_id="29001010100013")
    with refused(Forbidden, "women_only"):
        services.enrollment_create(user=man, course_id=course.pk)
    woman = make_user("trainee", national_id="29001010100024")
    enrollment, created = services.enrollment_create(user=woman, course_id=course.pk)
    assert created and enrollment.status == "active"


def test_leaving_twice_is_refused(check_course, trainee):
    services.enrollment_leave(user=trainee, course_id=check_course.pk)
    with refused(Conflict, "not_enrolled"):
        services.enrollment_leave(user=trainee, course_id=check_course.pk)


def test_reenrolling_resumes_progress(check_course, trainee):
    first, _second = lessons_of(check_course)
    submit(trainee, first, {0: [0], 1: [0, 1]})
    services.enrollment_leave(user=trainee, course_id=check_course.pk)
    _enrollment, created = services.enrollment_create(
        user=trainee, course_id=check_course.pk
    )
    assert created  # back in the course: counted as a new enrolment
    assert LessonProgress.objects.get(user=trainee, lesson=first).completed_at


def test_enrolling_twice_is_a_replay(check_course, trainee):
    enrollment, created = services.enrollment_create(
        user=trainee, course_id=check_course.pk
    )
    assert not created and enrollment.course_id == check_course.pk
    assert Enrollment.objects.filter(user=trainee).count() == 1


def test_negative_seconds_are_invalid(enrolled_lesson, trainee, asset):
    with refused(Invalid, "negative_seconds"):
        beat(trainee, enrolled_lesson, asset, watched=-1, when=10)


def test_heartbeat_before_the_lesson_is_opened_is_refused(video_course, trainee, asset):
    services.enrollment_create(user=trainee, course_id=video_course.pk)
    lesson = lessons_of(video_course)[0]
    with refused(Conflict, "lesson_not_opened"):
        beat(trainee, lesson, asset, watched=5, when=10)


def test_opening_a_lesson_without_an_enrolment_records_nothing(video_course, trainee):
    lesson = lessons_of(video_course)[0]
    assert not services.lesson_open(user=trainee, lesson_id=lesson.pk)
    assert not LessonProgress.objects.exists()
