"""Rows → the plain data of `assessments.data` (selectors and services return these).

Each function reads only the row and the relations named in its docstring: select
them with the row, or each call is a query.
"""

from __future__ import annotations

from typing import Any

from assessments.data import (
    AttemptData,
    AttemptItemPublic,
    BankData,
    EvidenceData,
    ExamData,
    LevelRef,
    OccupationRef,
    QuestionData,
    RubricData,
    SkillResultData,
)
from assessments.models import (
    Attempt,
    AttemptItem,
    ExamBlueprint,
    PracticalEvidence,
    Question,
    QuestionBank,
    Rubric,
    SkillResult,
)
from assessments.question_types import image_url


def occupation_ref(occupation: Any) -> OccupationRef:
    return OccupationRef(
        code=occupation.code, title_ar=occupation.title_ar, title_en=occupation.title_en
    )


def level_ref(level: Any) -> LevelRef:
    return LevelRef(code=level.code, name_ar=level.name_ar, name_en=level.name_en)


def exam_data(
    blueprint: ExamBlueprint, *, question_count: int | None = None
) -> ExamData:
    """Reads `occupation`, `skill_level` and (unless given) the rules' counts."""
    if question_count is None:
        question_count = sum(rule.count for rule in blueprint.rules.all())
    return ExamData(
        id=blueprint.pk,
        slug=blueprint.slug,
        title=blueprint.title,
        occupation=occupation_ref(blueprint.occupation),
        skill_level=level_ref(blueprint.skill_level),
        time_limit_s=blueprint.time_limit_s,
        pass_mark_percent=blueprint.pass_mark_percent,
        attempts_allowed=blueprint.attempts_allowed,
        question_count=question_count,
        is_active=blueprint.is_active,
    )


def attempt_data(attempt: Attempt) -> AttemptData:
    """Reads `blueprint`."""
    return AttemptData(
        id=attempt.pk,
        user_id=attempt.user_id,
        blueprint_id=attempt.blueprint_id,
        exam_slug=attempt.blueprint.slug,
        exam_title=attempt.blueprint.title,
        number=attempt.number,
        status=attempt.status,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        submitted_at=attempt.submitted_at,
        auto_submitted=attempt.auto_submitted,
        score=attempt.score,
        max_score=attempt.max_score,
        percent=attempt.percent,
        passed=attempt.passed,
        course_id=attempt.course_id,
    )


def _stem_alts(snapshot: dict) -> tuple[str, ...]:
    """One per stem image (attempts drawn before alt texts were kept have none)."""
    alts = list(snapshot.get("stem_image_alts") or [])
    count = len(snapshot.get("stem_images", []))
    return tuple((alts + [""] * count)[:count])


def item_public(item: AttemptItem) -> AttemptItemPublic:
    """Built only from the snapshot's text and the stored public view: no key."""
    snapshot = item.snapshot
    return AttemptItemPublic(
        position=item.position,
        kind=snapshot["kind"],
        stem=snapshot["stem"],
        stem_image_urls=tuple(
            image_url(name) or "" for name in snapshot.get("stem_images", [])
        ),
        stem_image_alts=_stem_alts(snapshot),
        choices=item.public,
        points=str(item.points),
        response=item.response,
        seq=item.response_seq,
    )


def skill_result_data(result: SkillResult) -> SkillResultData:
    """Reads `occupation` and `skill_level`."""
    return SkillResultData(
        id=result.pk,
        user_id=result.user_id,
        occupation=occupation_ref(result.occupation),
        skill_level=level_ref(result.skill_level),
        attempt_id=result.attempt_id,
        practical_id=result.practical_id,
        combined_percent=result.combined_percent,
        passed=result.passed,
        certificate_id=result.certificate_id,
        created_at=result.created_at,
    )


def bank_data(bank: QuestionBank) -> BankData:
    """Reads `occupation` and `skill_level`."""
    return BankData(
        id=bank.pk,
        slug=bank.slug,
        title=bank.title,
        occupation=occupation_ref(bank.occupation),
        skill_level=level_ref(bank.skill_level),
    )


def question_data(question: Question) -> QuestionData:
    """Reads `topic` and `current_version`."""
    version = question.current_version
    assert version is not None, "a question is saved with its first version"
    return QuestionData(
        id=question.pk,
        bank_id=question.bank_id,
        topic=question.topic.name,
        kind=question.kind,
        difficulty=question.difficulty,
        name=question.name,
        version_id=version.pk,
        version_number=version.number,
    )


def rubric_data(rubric: Rubric) -> RubricData:
    """Reads `occupation` and `skill_level`."""
    return RubricData(
        id=rubric.pk,
        title=rubric.title,
        occupation=occupation_ref(rubric.occupation),
        skill_level=level_ref(rubric.skill_level),
    )


def evidence_data(evidence: PracticalEvidence) -> EvidenceData:
    return EvidenceData(
        id=evidence.pk,
        assessment_id=evidence.assessment_id,
        caption=evidence.caption,
        file_name=evidence.image.name or "",
        uploaded_at=evidence.uploaded_at,
    )
