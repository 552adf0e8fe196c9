"""Skill results: the occupation's level policy combines the best theory attempt and
the latest practical test; a pass becomes one pending certificate in the registry
(`certificate_create_pending` below is the one call into registry)."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from assessments.data import SkillResultData
from assessments.models import (
    Attempt,
    AttemptStatus,
    LevelPolicy,
    PracticalAssessment,
    PracticalStatus,
    SkillResult,
)
from assessments.selectors.build import skill_result_data
from assessments.services.questions import q2
from registry import services as registry_services

logger = logging.getLogger(__name__)
CERTIFICATE_SOURCE = "platform_test"

# Sent in the transaction that records a new skill result (a pass or a fail), with
# `user_id`, `occupation_code`, `level_code`, `passed`, `combined_percent`,
# `skill_result_id`, `certificate_id` (the pending certificate of a pass, or None).
# Apps above (skilltests) follow their candidates' results by it.
skill_result_recorded = Signal()


def certificate_create_pending(
    *,
    user_id: int | None,
    national_id: str,
    full_name_ar: str,
    full_name_en: str,
    occupation_code: str,
    level_code: str,
    source: str,
    evidence: dict,
    created_by_id: int | None,
    idempotency_key: str,
) -> int:
    """A pass becomes a pending certificate in the registry (idempotent by key);
    the certificate's id."""
    certificate = registry_services.certificate_create_pending(
        user_id=user_id,
        national_id=national_id,
        full_name_ar=full_name_ar,
        full_name_en=full_name_en,
        occupation_code=occupation_code,
        level_code=level_code,
        source=source,
        evidence=evidence,
        created_by_id=created_by_id,
        idempotency_key=idempotency_key,
    )
    return int(certificate.id)


def level_policy_for(*, occupation_id: int) -> LevelPolicy:
    """The occupation's policy, or the defaults (unsaved) when none is configured."""
    policy = LevelPolicy.objects.filter(occupation_id=occupation_id).first()
    return policy or LevelPolicy(occupation_id=occupation_id)


def _combined(
    theory: Attempt, practical: PracticalAssessment | None, policy: LevelPolicy
) -> tuple[Decimal, bool]:
    """(combined percent, passed) by the policy's weights and minimums."""
    theory_percent = theory.percent or Decimal(0)
    practical_percent = (practical.percent if practical else None) or Decimal(0)
    weights = policy.theory_weight + policy.practical_weight
    combined = q2(
        (
            theory_percent * policy.theory_weight
            + practical_percent * policy.practical_weight
        )
        / (weights or 1)
    )
    passed = bool(
        theory.passed
        and theory_percent >= policy.theory_min_percent
        and (practical is None or practical_percent >= policy.practical_min_percent)
        and combined >= policy.pass_percent
    )
    return combined, passed


@transaction.atomic
def skill_result_evaluate(
    *, user_id: int, occupation_id: int, skill_level_id: int
) -> SkillResultData | None:
    """Combine the best theory attempt and the latest practical by the occupation's
    policy; a pass creates exactly one pending certificate in the registry. None
    while a part the policy needs is missing."""
    policy = level_policy_for(occupation_id=occupation_id)
    theory = (
        Attempt.objects.filter(
            user_id=user_id,
            status=AttemptStatus.GRADED,
            blueprint__occupation_id=occupation_id,
            blueprint__skill_level_id=skill_level_id,
        )
        .order_by("-passed", "-percent", "-submitted_at")
        .first()
    )
    if theory is None:
        return None
    practical = None
    if policy.practical_weight:
        practical = (
            PracticalAssessment.objects.filter(
                trainee_id=user_id,
                status=PracticalStatus.SUBMITTED,
                rubric__occupation_id=occupation_id,
                rubric__skill_level_id=skill_level_id,
            )
            .order_by("-submitted_at")
            .first()
        )
        if practical is None:
            return None
    combined, passed = _combined(theory, practical, policy)
    result = SkillResult.objects.filter(attempt=theory, practical=practical).first()
    created = result is None
    if result is None:
        result = SkillResult.objects.create(
            user_id=user_id,
            occupation_id=occupation_id,
            skill_level_id=skill_level_id,
            attempt=theory,
            practical=practical,
            combined_percent=combined,
            passed=passed,
        )
    result = SkillResult.objects.select_related(
        "user",
        "occupation",
        "skill_level",
        "attempt",
        "practical__rubric",
        "practical__assessor",
    ).get(pk=result.pk)
    if result.passed and result.certificate_id is None:
        _certificate_for(result=result, policy=policy)
    if created:
        skill_result_recorded.send(
            sender=SkillResult,
            user_id=user_id,
            occupation_code=result.occupation.code,
            level_code=result.skill_level.code,
            passed=result.passed,
            combined_percent=result.combined_percent,
            skill_result_id=result.pk,
            certificate_id=result.certificate_id,
        )
    return skill_result_data(result)


def _practical_evidence(practical: Any) -> dict[str, Any]:
    """What the approver must see of the practical test, frozen with the certificate:
    the assessor, each criterion's performance level and the photos (served by
    assessments' evidence view to ministry staff only)."""
    assessor = practical.assessor
    scores = practical.scores.select_related("criterion", "level").order_by(
        "criterion__position", "criterion_id"
    )
    return {
        "assessor": {"id": assessor.pk, "name": assessor.display_name},
        "rubric": practical.rubric.title,
        "submitted_at": (
            practical.submitted_at.isoformat() if practical.submitted_at else None
        ),
        "scores": [
            {
                "criterion": score.criterion.title,
                "weight": score.criterion.weight,
                "level": score.level.label,
                "fraction": str(score.level.fraction),
                "comment": score.comment,
            }
            for score in scores
        ],
        "photos": [
            {"id": photo.pk, "caption": photo.caption}
            for photo in practical.evidence.order_by("uploaded_at", "pk")
        ],
        "comments": practical.comments,
    }


def _evidence(result: SkillResult, policy: LevelPolicy) -> dict[str, Any]:
    practical = result.practical
    return {
        "skill_result_id": result.pk,
        "attempt_id": result.attempt_id,
        "theory_percent": str(result.attempt.percent),
        "practical_assessment_id": result.practical_id,
        "practical_percent": str(practical.percent) if practical else None,
        "combined_percent": str(result.combined_percent),
        "practical": _practical_evidence(practical) if practical else None,
        "policy": {
            "theory_weight": policy.theory_weight,
            "practical_weight": policy.practical_weight,
            "pass_percent": str(policy.pass_percent),
        },
    }


def _certificate_for(*, result: SkillResult, policy: LevelPolicy) -> None:
    user = result.user
    if not user.national_id:
        logger.warning(
            "skill result %s passed but the user has no national ID", result.pk
        )
        return
    result.certificate_id = certificate_create_pending(
        user_id=user.pk,
        national_id=user.national_id,
        full_name_ar=user.full_name_ar,
        full_name_en=user.full_name_en,
        occupation_code=result.occupation.code,
        level_code=result.skill_level.code,
        source=CERTIFICATE_SOURCE,
        evidence=_evidence(result, policy),
        created_by_id=None,
        idempotency_key=(
            f"assessments:{user.pk}:{result.occupation.code}:{result.skill_level.code}"
        ),
    )
    result.save(update_fields=["certificate_id"])
