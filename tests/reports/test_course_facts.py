"""courses.selectors.report_facts: aggregated in the database, known counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses import services
from courses.models import CourseCompletion, Enrollment, LessonPage, LiveAttendance
from courses.selectors import report_facts
from lms.reports.models import ReportFact
from lms.reports.selectors import ReportFilters, ReportScope, report_table
from lms.reports.services import facts_refresh
from registry.models import Occupation, SkillLevel
from tests.courses.conftest import TreeBuilder
from tests.factories import make_national_id


def at(year, month, day=10):
    return timezone.make_aware(dt.datetime(year, month, day, 12))


@pytest.fixture
def world(db, make_user):
    tree = TreeBuilder()
    sewing = tree.course(
        slug="sewing",
        lessons=1,
        occupation=Occupation.objects.get(code="7531"),
        skill_level=SkillLevel.objects.get(code="assistant"),
    )
    phones = tree.course(slug="phones", lessons=1)
    for course in (sewing, phones):
        course.save_revision().publish()

    def person(gov, gender, disabled=False):
        return make_user(
            "trainee",
            national_id=make_national_id(governorate=gov, gender=gender),
            has_disability=disabled,
        )

    cairo_women = [person("01", "female") for _ in range(3)]
    giza_man = person("21", "male", disabled=True)
    for user in [*cairo_women, giza_man]:
        services.enrollment_create(user=user, course_id=sewing.pk)
    services.enrollment_create(user=cairo_women[0], course_id=phones.pk)
    Enrollment.objects.filter(course=sewing).update(enrolled_at=at(2025, 2))
    Enrollment.objects.filter(course=phones).update(enrolled_at=at(2025, 3))
    lesson_s = LessonPage.objects.descendant_of(sewing).first()
    lesson_p = LessonPage.objects.descendant_of(phones).first()
    for user in cairo_women:
        services.lesson_open(user=user, lesson_id=lesson_s.pk, at=at(2025, 3))
    services.lesson_open(user=cairo_women[0], lesson_id=lesson_p.pk, at=at(2025, 3))
    CourseCompletion.objects.create(
        user=giza_man, course=sewing, completed_at=at(2025, 4)
    )
    LiveAttendance.objects.create(
        user=giza_man, course=sewing, source_key="class:1", minutes=40
    )
    return sewing, phones


def rows(metric, **match):
    return [
        r
        for r in report_facts()
        if r["metric"] == metric and all(r[k] == v for k, v in match.items())
    ]


def test_enrolments_are_counted_by_month_governorate_and_gender(world):
    sewing, _phones = world
    found = rows("enrolments", course_id=sewing.pk)
    got = {(r["month"], r["governorate_code"], r["gender"]): r["value"] for r in found}
    assert got == {
        (dt.date(2025, 2, 1), "01", "female"): 3,
        (dt.date(2025, 2, 1), "21", "male"): 1,
    }
    giza = next(r for r in found if r["governorate_code"] == "21")
    assert giza["has_disability"] is True
    assert giza["occupation_code"] == "7531" and giza["level_code"] == "assistant"


def test_active_trainees_count_a_person_once_overall(world):
    sewing, phones = world
    march = dt.date(2025, 3, 1)
    per_course = {
        r["course_id"]: r["value"]
        for r in rows("active_trainees", month=march)
        if r["course_id"]
    }
    assert per_course == {sewing.pk: 3, phones.pk: 1}
    overall = rows("active_trainees", course_id=None, month=march)
    assert [(r["month"], r["value"], r["occupation_code"]) for r in overall] == [
        (march, 3, "")
    ]


def test_completions_and_live_attendance(world):
    april = rows("course_completions", month=dt.date(2025, 4, 1))
    assert [(r["value"], r["governorate_code"]) for r in april] == [(1, "21")]
    assert sum(r["value"] for r in rows("live_attendance")) == 1


def test_since_limits_the_months(world):
    recent = list(report_facts(since=dt.date(2025, 3, 1)))
    assert not [
        r
        for r in recent
        if r["metric"] == "enrolments" and r["month"] < dt.date(2025, 3, 1)
    ]
    assert any(r["metric"] == "enrolments" for r in recent)


def test_refresh_through_the_hook_feeds_the_dashboard(world):
    facts_refresh()
    assert ReportFact.objects.filter(metric="enrolments").exists()
    table = report_table(
        metric="active_trainees",
        dimension="governorate",
        filters=ReportFilters(
            date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1)
        ),
        scope=ReportScope(),
    )
    assert table.total_this_year.export == "<5"
    enrol = report_table(
        metric="enrolments",
        dimension="month",
        filters=ReportFilters(
            date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1)
        ),
        scope=ReportScope(),
    )
    assert enrol.total_this_year.export == 5
