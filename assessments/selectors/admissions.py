"""Reads for an app that admits its own candidates (skilltests, on the day of the
test): the exam and the rubric set for an occupation and level, and where a
candidate's two parts stand."""

from __future__ import annotations

from collections.abc import Iterable

from assessments.data import ExamData, PartProgress, RubricData
from assessments.models import (
    Attempt,
    AttemptStatus,
    ExamBlueprint,
    PracticalAssessment,
    PracticalStatus,
    Rubric,
)
from assessments.selectors.build import exam_data, rubric_data


def exam_for_level(*, occupation_code: str, level_code: str) -> ExamData | None:
    """The open theory exam for this occupation and level (the newest), or None."""
    blueprint = (
        ExamBlueprint.objects.filter(
            is_active=True,
            occupation__code=occupation_code,
            skill_level__code=level_code,
        )
        .select_related("occupation", "skill_level")
        .prefetch_related("rules")
        .order_by("-pk")
        .first()
    )
    return exam_data(blueprint) if blueprint else None


def rubric_for_level(*, occupation_code: str, level_code: str) -> RubricData | None:
    """The rubric in use for this occupation and level (the newest), or None."""
    rubric = (
        Rubric.objects.filter(
            is_active=True,
            occupation__code=occupation_code,
            skill_level__code=level_code,
        )
        .select_related("occupation", "skill_level")
        .order_by("-pk")
        .first()
    )
    return rubric_data(rubric) if rubric else None


def parts_progress(
    *, attempt_ids: Iterable[int], practical_ids: Iterable[int]
) -> tuple[dict[int, PartProgress], dict[int, PartProgress]]:
    """(attempts by id, practical tests by id) as they stand: two queries for a
    whole roster."""
    attempts = {
        a.pk: PartProgress(
            id=a.pk,
            status=a.status,
            status_label=str(AttemptStatus(a.status).label),
            percent=a.percent,
            passed=a.passed,
        )
        for a in Attempt.objects.filter(pk__in=list(attempt_ids)).only(
            "pk", "status", "percent", "passed"
        )
    }
    practicals = {
        p.pk: PartProgress(
            id=p.pk,
            status=p.status,
            status_label=str(PracticalStatus(p.status).label),
            percent=p.percent,
        )
        for p in PracticalAssessment.objects.filter(pk__in=list(practical_ids)).only(
            "pk", "status", "percent"
        )
    }
    return attempts, practicals
