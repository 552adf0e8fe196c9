"""Practical tests: an assessor opens one for an eligible candidate, saves draft
scores criterion by criterion, attaches photos, and submits only by confirming the
summary; a submitted score is corrected by another assessor or staff, with a reason,
in an audit row. Submission and corrections feed the skill result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import CorrectionData, EvidenceData, PracticalData
from assessments.models import (
    PerformanceLevel,
    PracticalAssessment,
    PracticalCorrection,
    PracticalEvidence,
    PracticalScore,
    PracticalStatus,
    Rubric,
    SkillResult,
)
from assessments.selectors.build import evidence_data
from assessments.selectors.courses import course_completed, course_that_prepared
from assessments.selectors.people import ASSESSORS, TRAINEES, has_any_role, person
from assessments.selectors.practical import (
    practical_data,
    practical_page_get,
    practical_summary_get,
)
from assessments.selectors.practical_access import may_correct
from assessments.services.evidence_photos import reencoded_photo
from assessments.services.questions import q2
from assessments.services.results import skill_result_evaluate
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.report_rows import report_facts_changed


def _assessor(assessor_id: int, *, trainee_id: int) -> Any:
    assessor = person(assessor_id)
    if assessor is None or not has_any_role(assessor, ASSESSORS):
        raise Forbidden(_("Only assessors score practical tests."))
    if assessor.pk == trainee_id:
        raise Forbidden(
            _("An assessor cannot assess themselves."), code="self_assessment"
        )
    return assessor


def _locked(assessment_id: int) -> PracticalAssessment:
    assessment = (
        PracticalAssessment.objects.select_for_update(of=("self",))
        .select_related("rubric", "trainee", "assessor")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such practical test."))
    return assessment


def _own_draft(*, assessment_id: int, assessor_id: int) -> PracticalAssessment:
    """The assessor's own practical test, locked, still a draft."""
    assessment = _locked(assessment_id)
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


def _candidate(trainee_id: int, rubric: Rubric, *, admitted: bool) -> Any:
    """A trainee who completed a course for the rubric's occupation and level, or a
    candidate a caller above admitted (skilltests: checked in at the session)."""
    trainee = person(trainee_id)
    if trainee is None:
        raise NotFound(_("No trainee with this mobile number or username."))
    if admitted:
        return trainee
    if not has_any_role(trainee, TRAINEES):
        raise Forbidden(
            _(
                "%(name)s is not a trainee: a practical test is opened only for a "
                "trainee who completed the course."
            )
            % {"name": trainee.display_name},
            code="not_a_candidate",
        )
    if not course_completed(
        user=trainee,
        occupation_code=rubric.occupation.code,
        level_code=rubric.skill_level.code,
    ):
        raise Conflict(
            _(
                "%(name)s has not completed a course for %(occupation)s at this "
                "level: the practical test opens once the course is completed."
            )
            % {"name": trainee.display_name, "occupation": rubric.occupation.title_ar},
            code="course_not_completed",
        )
    return trainee


@transaction.atomic
def practical_assessment_create(
    *,
    rubric_id: int,
    trainee_id: int,
    assessor_id: int,
    scheduled_on: dt.date | None = None,
    admitted_by: str = "",
) -> PracticalData:
    """Open a practical test of an eligible candidate by a rubric still in use, on
    a day from today on (today when not given). `admitted_by` names the caller that
    checked the candidate itself (skilltests: on the session's roster, checked in)."""
    assessor = _assessor(assessor_id, trainee_id=trainee_id)
    rubric = (
        Rubric.objects.select_related("occupation", "skill_level")
        .filter(pk=rubric_id)
        .first()
    )
    if rubric is None:
        raise NotFound(_("No such rubric."))
    if not rubric.is_active:
        raise Conflict(_("This rubric is no longer in use."), code="rubric_inactive")
    trainee = _candidate(trainee_id, rubric, admitted=bool(admitted_by))
    today = timezone.localdate()
    day = scheduled_on or today
    if day < today:
        raise Invalid(
            _("Choose today or a later day for the test."),
            code="day_in_past",
            fields={"scheduled_on": [_("Choose today or a later day for the test.")]},
        )
    if PracticalAssessment.objects.filter(
        rubric=rubric, trainee=trainee, status=PracticalStatus.DRAFT
    ).exists():
        raise Conflict(
            _("%(name)s already has a practical test by this rubric in progress.")
            % {"name": trainee.display_name},
            code="practical_open",
        )
    assessment = PracticalAssessment.objects.create(
        rubric=rubric,
        trainee=trainee,
        assessor=assessor,
        scheduled_on=day,
        course_id=course_that_prepared(
            user=trainee,
            occupation_code=rubric.occupation.code,
            level_code=rubric.skill_level.code,
        ),
    )
    return practical_data(assessment)


def _levels(assessment: PracticalAssessment, levels: dict[int, int]) -> dict:
    """criterion id → (criterion, level), each level one of its criterion's."""
    criteria = {c.pk: c for c in assessment.rubric.criteria.all()}
    chosen = {}
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
        chosen[criterion_id] = (criteria[criterion_id], level)
    return chosen


@transaction.atomic
def practical_assessment_score(
    *,
    assessment_id: int,
    assessor_id: int,
    levels: dict[int, int],
    comments: str | None = None,
    criterion_comments: dict[int, str] | None = None,
) -> PracticalData:
    """Save draft scores (any number of criteria, as the assessor goes). A draft is
    not a result: only `practical_assessment_confirm` submits."""
    assessment = _own_draft(assessment_id=assessment_id, assessor_id=assessor_id)
    criterion_comments = criterion_comments or {}
    for criterion_id, (_criterion, level) in _levels(assessment, levels).items():
        defaults: dict[str, Any] = {"level": level}
        if criterion_id in criterion_comments:
            defaults["comment"] = (criterion_comments[criterion_id] or "")[:500]
        PracticalScore.objects.update_or_create(
            assessment=assessment, criterion_id=criterion_id, defaults=defaults
        )
    if comments is not None:
        assessment.comments = comments
        assessment.save(update_fields=["comments"])
    return practical_data(assessment)


@transaction.atomic
def practical_assessment_confirm(
    *, assessment_id: int, assessor_id: int, token: str
) -> PracticalData:
    """Submit the scores the assessor saw in the summary (`token` names them): a
    summary that changed since, or one with criteria unscored, is refused."""
    assessment = _own_draft(assessment_id=assessment_id, assessor_id=assessor_id)
    summary = practical_summary_get(
        assessment_id=assessment_id, assessor_id=assessor_id
    )
    if summary.missing:
        raise Invalid(
            _("Score every criterion before submitting: %(names)s.")
            % {"names": "، ".join(summary.missing)},
            code="criteria_missing",
        )
    if token != summary.token:
        raise Conflict(
            _("The scores changed since the summary was shown: check it again."),
            code="summary_changed",
        )
    assessment.percent = summary.percent
    assessment.status = PracticalStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["percent", "status", "submitted_at"])
    report_facts_changed()
    skill_result_evaluate(
        user_id=assessment.trainee_id,
        occupation_id=assessment.rubric.occupation_id,
        skill_level_id=assessment.rubric.skill_level_id,
    )
    return practical_data(assessment)


def _percent(assessment: PracticalAssessment) -> Decimal:
    scores = assessment.scores.select_related("criterion", "level")
    weight = sum(s.criterion.weight for s in scores) or 1
    earned = sum(
        (Decimal(s.criterion.weight) * s.level.fraction for s in scores), Decimal(0)
    )
    return q2(earned * 100 / weight)


def _corrector(corrector_id: int, assessment: PracticalAssessment) -> Any:
    corrector = person(corrector_id)
    if corrector is not None and corrector.pk == assessment.assessor_id:
        raise Forbidden(
            _(
                "You scored this test: another assessor or ministry staff must "
                "correct it."
            ),
            code="own_score",
        )
    if corrector is None or not may_correct(corrector, assessment):
        raise Forbidden(
            _("Only another assessor or ministry staff may correct this score."),
            code="not_a_corrector",
        )
    return corrector


@transaction.atomic
def practical_score_correct(
    *, assessment_id: int, corrector_id: int, levels: dict[int, int], reason: str
) -> CorrectionData:
    """Change a submitted score, with a reason, audited (who, when, before → after,
    why). Not by its own assessor; not once its result asked for a certificate."""
    assessment = _locked(assessment_id)
    if assessment.status != PracticalStatus.SUBMITTED:
        raise Conflict(
            _("Only a submitted score can be corrected."),
            code="practical_not_submitted",
        )
    corrector = _corrector(corrector_id, assessment)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Say why the score is corrected."),
            code="reason_required",
            fields={"reason": [_("Say why the score is corrected.")]},
        )
    results = SkillResult.objects.filter(practical=assessment)
    if results.filter(certificate_id__isnull=False).exists():
        raise Conflict(
            _(
                "A certificate was already requested on this score: the registry "
                "must reject it before the score can be corrected."
            ),
            code="certificate_requested",
        )
    current = {
        s.criterion_id: s
        for s in assessment.scores.select_related("criterion", "level")
    }
    changes = []
    for criterion_id, (criterion, level) in _levels(assessment, levels).items():
        before = current.get(criterion_id)
        if before is not None and before.level_id == level.pk:
            continue
        changes.append(
            {
                "criterion": criterion_id,
                "title": criterion.title,
                "before": before.level.label if before else "",
                "after": level.label,
            }
        )
        PracticalScore.objects.update_or_create(
            assessment=assessment, criterion_id=criterion_id, defaults={"level": level}
        )
    if not changes:
        raise Invalid(
            _("Choose at least one level different from the score given."),
            code="nothing_changed",
        )
    before_percent = assessment.percent or Decimal(0)
    assessment.percent = _percent(assessment)
    assessment.save(update_fields=["percent"])
    correction = PracticalCorrection.objects.create(
        assessment=assessment,
        corrected_by=corrector,
        reason=reason[:2000],
        percent_before=before_percent,
        percent_after=assessment.percent,
        changes=changes,
    )
    # a result without a certificate is derived data: weigh the corrected score
    results.delete()
    report_facts_changed()
    skill_result_evaluate(
        user_id=assessment.trainee_id,
        occupation_id=assessment.rubric.occupation_id,
        skill_level_id=assessment.rubric.skill_level_id,
    )
    page = practical_page_get(assessment_id=assessment.pk, viewer_id=corrector.pk)
    return next(c for c in page.corrections if c.id == correction.pk)


@transaction.atomic
def practical_evidence_add(
    *, assessment_id: int, assessor_id: int, image: Any, caption: str = ""
) -> EvidenceData:
    """Attach a photo to a draft practical test, decoded and encoded again (JPEG,
    PNG or WebP; metadata dropped, size capped) so only pixels are kept.

    `image` is an uploaded file; refusals: Invalid `photo_too_large`,
    `not_a_photo`, and those of a test that is not the assessor's draft."""
    assessment = _own_draft(assessment_id=assessment_id, assessor_id=assessor_id)
    evidence = PracticalEvidence.objects.create(
        assessment=assessment, image=reencoded_photo(image), caption=caption[:255]
    )
    return evidence_data(evidence)
