"""Which course an exam attempt or a practical test is credited to (the reports give
instructors their courses' exam figures through it)."""

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from assessments.models import Attempt, PracticalAssessment
from courses.models import CourseCompletion, CoursePage
from tests.assessments.conftest import open_practical, start

backfill = importlib.import_module("assessments.migrations.0003_credited_course")


def second_course(complete_course, occupation, level) -> CoursePage:
    trade = complete_course.course.get_parent()
    return trade.add_child(
        instance=CoursePage(
            title="التكييف المتقدم",
            slug="course-t2",
            occupation=occupation,
            skill_level=level,
        )
    )


def test_an_attempt_is_credited_to_the_course_the_trainee_completed(
    blueprint, eligible_trainee, complete_course
):
    attempt = start(eligible_trainee, blueprint)
    assert attempt.course_id == complete_course.course.pk


def test_the_last_completed_course_is_credited(
    blueprint, trainee, complete_course, occupation, level
):
    complete_course(trainee)
    later = second_course(complete_course, occupation, level)
    CourseCompletion.objects.create(
        user=trainee,
        course=later,
        completed_at=timezone.now() + dt.timedelta(minutes=1),
    )
    attempt = start(trainee, blueprint)
    assert attempt.course_id == later.pk


def test_an_attempt_without_a_course_is_credited_to_none(blueprint, trainee):
    blueprint.requires_course_completion = False
    blueprint.save()
    attempt = start(trainee, blueprint)
    assert attempt.course_id is None


def test_a_course_of_another_level_is_not_credited(
    blueprint, trainee, complete_course, occupation
):
    from registry.models import SkillLevel

    other_level = SkillLevel.objects.exclude(pk=blueprint.skill_level_id).first()
    other = second_course(complete_course, occupation, other_level)
    CourseCompletion.objects.create(
        user=trainee, course=other, completed_at=timezone.now()
    )
    blueprint.requires_course_completion = False
    blueprint.save()
    assert start(trainee, blueprint).course_id is None


def test_a_practical_test_is_credited_like_an_attempt(
    rubric, eligible_trainee, assessor, complete_course
):
    practical = open_practical(rubric, eligible_trainee, assessor)
    assert practical.course_id == complete_course.course.pk


def test_the_migration_credits_earlier_work_to_a_course_completed_before_it(
    blueprint, rubric, trainee, make_user, assessor, complete_course
):
    """Attempts and practical tests recorded before the field existed."""
    complete_course(trainee)
    attempt = start(trainee, blueprint)
    practical = open_practical(rubric, trainee, assessor)
    # a trainee whose only completion came after their attempt started
    latecomer = make_user("trainee")
    complete_course(latecomer)
    early = start(latecomer, blueprint)
    Attempt.objects.filter(pk=early.pk).update(
        started_at=timezone.now() - dt.timedelta(days=3)
    )
    Attempt.objects.update(course=None)
    PracticalAssessment.objects.update(course=None)

    backfill.credit_earlier_work(apps, None)

    course = complete_course.course.pk
    assert Attempt.objects.get(pk=attempt.pk).course_id == course
    assert PracticalAssessment.objects.get(pk=practical.pk).course_id == course
    assert Attempt.objects.get(pk=early.pk).course_id is None
