"""Report facts (the lms.reports contract, see lms/reports/README.md): exam attempts,
passes and practical tests, one GROUP BY query per metric."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import CharField, Count, DateField, F, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.models import (
    Attempt,
    AttemptStatus,
    PracticalAssessment,
    PracticalStatus,
)
from lms.accounts.selectors import user_has_disability_expression
from lms.kernel.report_rows import fact_rows


def _assessment_facts(
    qs: QuerySet, *, metric: str, person: str, test: str
) -> QuerySet[Any, dict[str, Any]]:
    """One metric grouped in the database by month of submission, the person's
    attributes and the occupation and level the test was set for."""
    return fact_rows(
        qs.annotate(
            metric=Value(metric, output_field=CharField()),
            month=TruncMonth("submitted_at", output_field=DateField()),
            governorate_code=F(f"{person}__governorate_code"),
            occupation_code=F(f"{test}__occupation__code"),
            level_code=F(f"{test}__skill_level__code"),
            gender=F(f"{person}__gender"),
            has_disability=user_has_disability_expression(via=person),
        ),
        value=Count("id"),
    )


def report_facts(*, since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Assessments' figures for lms.reports, one GROUP BY query per metric.

    exam_attempts: submitted attempts (awaiting grading or graded; one still in
    progress is not an attempt yet) by month of submission; exam_passes: the graded
    ones that passed, in the same month as their attempt; practical_assessments:
    practical tests an assessor submitted, by month of submission. Exams are set per
    occupation and level; course_id is the course that prepared the trainee (their
    last completed one for that occupation and level), None if they took none.
    """
    submitted = Attempt.objects.filter(
        status__in=[AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED],
        submitted_at__isnull=False,
    )
    practicals = PracticalAssessment.objects.filter(
        status=PracticalStatus.SUBMITTED, submitted_at__isnull=False
    )
    if since is not None:
        start = timezone.make_aware(
            dt.datetime.combine(since.replace(day=1), dt.time.min)
        )
        submitted = submitted.filter(submitted_at__gte=start)
        practicals = practicals.filter(submitted_at__gte=start)
    exam = {"person": "user", "test": "blueprint"}
    yield from _assessment_facts(submitted, metric="exam_attempts", **exam)
    yield from _assessment_facts(
        submitted.filter(status=AttemptStatus.GRADED, passed=True),
        metric="exam_passes",
        **exam,
    )
    yield from _assessment_facts(
        practicals, metric="practical_assessments", person="trainee", test="rubric"
    )
