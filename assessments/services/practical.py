"""Practical tests: an assessor opens one for a trainee, scores each criterion by a
performance level, attaches photo evidence and submits; submission feeds the skill
result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import EvidenceData, PracticalData
from assessments.models import (
    PerformanceLevel,
    PracticalAssessment,
    PracticalEvidence,
    PracticalScore,
    PracticalStatus,
    Rubric,
)
from assessments.selectors.build import evidence_data, practical_data
from assessments.selectors.courses import course_that_prepared
from assessments.selectors.people import ASSESSORS, has_any_role, person
from assessments.services.questions import q2
from assessments.services.results import skill_result_evaluate
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.report_rows import report_facts_changed

MAX_EVIDENCE_BYTES = 8 * 1024 * 1024


def _assessor(assessor_id: int, *, trainee_id: int) -> Any:
    assessor = person(assessor_id)
    if assessor is None or not has_any_role(assessor, ASSESSORS):
        raise Forbidden(_("Only assessors score practical tests."))
    if assessor.pk == trainee_id:
        raise Forbidden(
            _("An assessor cannot assess themselves."), code="self_assessment"
        )
    return assessor


def _own_draft(*, assessment_id: int, assessor_id: int) -> PracticalAssessment:
    """The assessor's own practical test, locked, still a draft."""
    assessment = (
        PracticalAssessment.objects.select_for_update()
        .select_related("rubric", "trainee")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such practical test."))
    _assessor(assessor_id, trainee_id=assessment.trainee_id)
    if assessment.assessor_id != assessor_id:
        raise Forbidden(
            _("This practical test belongs to another assessor."),
            code="another_assessor",
        )
    if assessment.status == PracticalStatus.SUBMITTED:
        raise Conflict(
            _("This practical test is already submitted."), code="practical_submitted"
        )
    return assessment


@transaction.atomic
def practical_assessment_create(
    *, rubric_id: int, trainee_id: int, assessor_id: int
) -> PracticalData:
    """Open a practical test of a trainee by a rubric still in use."""
    assessor = _assessor(assessor_id, trainee_id=trainee_id)
    trainee = person(trainee_id)
    if trainee is None:
        raise NotFound(_("No trainee with this mobile number or username."))
    rubric = (
        Rubric.objects.select_related("occupation", "skill_level")
        .filter(pk=rubric_id)
        .first()
    )
    if rubric is None:
        raise NotFound(_("No such rubric."))
    if not rubric.is_active:
        raise Conflict(_("This rubric is no longer in use."), code="rubric_inactive")
    assessment = PracticalAssessment.objects.create(
        rubric=rubric,
        trainee=trainee,
        assessor=assessor,
        course_id=course_that_prepared(
            user=trainee,
            occupation_code=rubric.occupation.code,
            level_code=rubric.skill_level.code,
        ),
    )
    return practical_data(assessment)


def _submit_scores(assessment: PracticalAssessment, criteria: dict[int, Any]) -> None:
    scores = {s.criterion_id: s for s in assessment.scores.select_related("level")}
    missing = [c.title for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise Invalid(
            _("Score every criterion before submitting: %(names)s.")
            % {"names": "، ".join(missing)},
            code="criteria_missing",
        )
    total_weight = sum(c.weight for c in criteria.values())
    earned = sum(
        (Decimal(c.weight) * scores[pk].level.fraction for pk, c in criteria.items()),
        Decimal(0),
    )
    assessment.percent = q2(earned * 100 / total_weight)
    assessment.status = PracticalStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    report_facts_changed()


@transaction.atomic
def practical_assessment_score(
    *,
    assessment_id: int,
    assessor_id: int,
    levels: dict[int, int],
    comments: str = "",
    criterion_comments: dict[int, str] | None = None,
    submit: bool = False,
) -> PracticalData:
    """Record the performance level per criterion; on submit every criterion counts."""
    assessment = _own_draft(assessment_id=assessment_id, assessor_id=assessor_id)
    criteria = {c.pk: c for c in assessment.rubric.criteria.all()}
    criterion_comments = criterion_comments or {}
    for criterion_id, level_id in levels.items():
        if criterion_id not in criteria:
            raise Invalid(
                _("That criterion is not in this rubric."), code="unknown_criterion"
            )
        level = PerformanceLevel.objects.filter(
            pk=level_id, criterion_id=criterion_id
        ).first()
        if level is None:
            raise Invalid(
                _("Choose one of the performance levels of “%(c)s”.")
                % {"c": criteria[criterion_id].title},
                code="unknown_level",
            )
        PracticalScore.objects.update_or_create(
            assessment=assessment,
            criterion_id=criterion_id,
            defaults={
                "level": level,
                "comment": (criterion_comments.get(criterion_id) or "")[:500],
            },
        )
    assessment.comments = comments
    fields = ["comments"]
    if submit:
        _submit_scores(assessment, criteria)
        fields += ["percent", "status", "submitted_at"]
    assessment.save(update_fields=fields)
    if submit:
        skill_result_evaluate(
            user_id=assessment.trainee_id,
            occupation_id=assessment.rubric.occupation_id,
            skill_level_id=assessment.rubric.skill_level_id,
        )
    return practical_data(assessment)


@transaction.atomic
def practical_evidence_add(
    *, assessment_id: int, assessor_id: int, image: Any, caption: str = ""
) -> EvidenceData:
    """Attach a photo (validated as a real image) to a draft practical test.

    `image` is an uploaded file; refusals: Invalid `photo_too_large`,
    `not_a_photo`, and those of a test that is not the assessor's draft."""
    from PIL import Image, UnidentifiedImageError

    assessment = _own_draft(assessment_id=assessment_id, assessor_id=assessor_id)
    if image.size > MAX_EVIDENCE_BYTES:
        raise Invalid(_("The photo is larger than 8 MB."), code="photo_too_large")
    try:
        with Image.open(image) as probe:
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise Invalid(
            _("The file is not a photo we can read."), code="not_a_photo"
        ) from None
    image.seek(0)
    evidence = PracticalEvidence.objects.create(
        assessment=assessment, image=image, caption=caption[:255]
    )
    return evidence_data(evidence)
