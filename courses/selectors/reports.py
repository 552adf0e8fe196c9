"""Courses' figures for lms.reports (the fact contract, see lms/reports/README.md).

Each metric is one GROUP BY in the database; rows have the contract's shape
(`lms.kernel.report_rows.fact_rows`), which lms.reports reads through the
`maharat_report_facts` hook.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DateField, F, QuerySet, Value
from django.db.models.functions import TruncMonth

from courses.models import CourseCompletion, Enrollment, LessonProgress, LiveAttendance
from lms.kernel.report_rows import fact_rows


def _facts_for(
    qs: QuerySet[Any], *, metric: str, when: str, value: Aggregate
) -> Iterable[dict[str, Any]]:
    """Rows of one metric grouped in the database by month and attributes."""
    return fact_rows(
        qs.annotate(
            metric=Value(metric),
            month=TruncMonth(when, output_field=DateField()),
            governorate_code=F("user__governorate_code"),
            occupation_code=F("course__occupation__code"),
            level_code=F("course__skill_level__code"),
            gender=F("user__gender"),
            has_disability=F("user__has_disability"),
        ),
        value=value,
    )


def _active_trainee_facts(since: date | None) -> Iterator[dict[str, Any]]:
    """Distinct trainees who opened or completed a lesson, per month.

    Yields per-course rows and an "all courses" rollup (course_id None, occupation
    and level "") so a trainee in two courses counts once overall.
    """
    branches = []
    for when in ("opened_at", "last_opened_at", "completed_at"):
        qs = LessonProgress.objects.filter(**{f"{when}__isnull": False})
        if since:
            qs = qs.filter(**{f"{when}__date__gte": since})
        branches.append(
            qs.annotate(
                m=TruncMonth(when, output_field=DateField()),
                gov=F("user__governorate_code"),
                occ=F("course__occupation__code"),
                lvl=F("course__skill_level__code"),
                sex=F("user__gender"),
                dis=F("user__has_disability"),
            )
            .values("user_id", "course_id", "m", "gov", "occ", "lvl", "sex", "dis")
            .order_by()
        )
    union = branches[0].union(*branches[1:])
    sql, params = union.query.sql_with_params()
    per_course = (
        "SELECT m, gov, occ, lvl, sex, dis, course_id, COUNT(DISTINCT user_id) "
        f"FROM ({sql}) t GROUP BY m, gov, occ, lvl, sex, dis, course_id"
    )
    overall = (
        "SELECT m, gov, '', '', sex, dis, NULL, COUNT(DISTINCT user_id) "
        f"FROM ({sql}) t GROUP BY m, gov, sex, dis"
    )
    for query in (per_course, overall):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for m, gov, occ, lvl, sex, dis, course_id, value in cursor.fetchall():
                yield {
                    "metric": "active_trainees",
                    "month": _as_month(m),
                    "governorate_code": gov,
                    "occupation_code": occ,
                    "level_code": lvl,
                    "gender": sex,
                    "has_disability": bool(dis),
                    "course_id": course_id,
                    "value": value,
                }


def _as_month(value: Any) -> date:
    """A month from a raw cursor: a string (SQLite), datetime or date (PostgreSQL)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def report_facts(*, since: date | None = None) -> Iterator[dict[str, Any]]:
    """Courses' figures for lms.reports, each counted by one GROUP BY query.

    enrolments (by enrolment month), active_trainees (distinct people per month),
    lesson_completions, course_completions and live_attendance (trainees present at
    a live class, by the month its attendance was last reported).
    """

    def recent(qs: QuerySet[Any], when: str) -> QuerySet[Any]:
        return qs.filter(**{f"{when}__date__gte": since}) if since else qs

    yield from _facts_for(
        recent(Enrollment.objects.all(), "enrolled_at"),
        metric="enrolments",
        when="enrolled_at",
        value=Count("id"),
    )
    yield from _active_trainee_facts(since)
    yield from _facts_for(
        recent(
            LessonProgress.objects.filter(completed_at__isnull=False), "completed_at"
        ),
        metric="lesson_completions",
        when="completed_at",
        value=Count("id"),
    )
    yield from _facts_for(
        recent(CourseCompletion.objects.all(), "completed_at"),
        metric="course_completions",
        when="completed_at",
        value=Count("id"),
    )
    yield from _facts_for(
        recent(LiveAttendance.objects.filter(minutes__gt=0), "updated_at"),
        metric="live_attendance",
        when="updated_at",
        value=Count("id"),
    )
