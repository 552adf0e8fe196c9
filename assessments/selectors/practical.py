"""Reads about practical tests: the rubrics in use, the assessor's workplace, the
scoring form (levels with their descriptors), the summary to confirm, a submitted
test's page with its corrections, and who may see an evidence photo."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import (
    CorrectionChange,
    CorrectionData,
    CriterionSheet,
    EvidenceData,
    LevelOption,
    PracticalData,
    PracticalPage,
    PracticalSheet,
    PracticalSummary,
    PracticalWorkplace,
    RubricData,
    SummaryRow,
)
from assessments.models import (
    LevelPolicy,
    PracticalAssessment,
    PracticalEvidence,
    PracticalStatus,
    Rubric,
)
from assessments.selectors.build import (
    evidence_data,
    level_ref,
    occupation_ref,
    rubric_data,
)
from assessments.selectors.people import person
from assessments.selectors.practical_access import may_correct, tests_visible_to
from lms.kernel.errors import NotFound

RECENTLY_SCORED = 20


def rubrics_active() -> tuple[RubricData, ...]:
    rows = Rubric.objects.filter(is_active=True).select_related(
        "occupation", "skill_level"
    )
    return tuple(rubric_data(r) for r in rows)


def _with_counts(rows: Any) -> Any:
    return rows.select_related("trainee", "rubric", "assessor").annotate(
        n_scored=Count("scores", distinct=True),
        n_criteria=Count("rubric__criteria", distinct=True),
        n_corrections=Count("corrections", distinct=True),
    )


def practical_data(assessment: PracticalAssessment) -> PracticalData:
    """Reads `rubric`, `trainee` and `assessor`; the counts when annotated."""
    return PracticalData(
        id=assessment.pk,
        rubric_id=assessment.rubric_id,
        rubric_title=assessment.rubric.title,
        trainee_id=assessment.trainee_id,
        trainee_name=assessment.trainee.display_name,
        assessor_id=assessment.assessor_id,
        status=assessment.status,
        status_label=str(assessment.get_status_display()),
        percent=assessment.percent,
        comments=assessment.comments,
        course_id=assessment.course_id,
        submitted_at=assessment.submitted_at,
        scheduled_on=assessment.scheduled_on,
        assessor_name=assessment.assessor.display_name,
        scored_count=getattr(assessment, "n_scored", 0),
        criteria_count=getattr(assessment, "n_criteria", 0),
        corrections_count=getattr(assessment, "n_corrections", 0),
    )


def practicals_for_assessor(
    *, assessor_id: int, limit: int = 100
) -> tuple[PracticalData, ...]:
    """The assessor's practical tests, newest first."""
    rows = _with_counts(PracticalAssessment.objects.filter(assessor_id=assessor_id))
    return tuple(practical_data(a) for a in rows[:limit])


def practical_workplace(*, assessor_id: int) -> PracticalWorkplace:
    """Today's and coming tests (nothing scored yet), drafts in progress (something
    scored, or their day has passed) and the recently scored."""
    today = timezone.localdate()
    mine = PracticalAssessment.objects.filter(assessor_id=assessor_id)
    drafts = _with_counts(mine.filter(status=PracticalStatus.DRAFT))
    coming = drafts.filter(n_scored=0, scheduled_on__gte=today).order_by(
        "scheduled_on", "created_at"
    )
    started = drafts.filter(
        Q(n_scored__gt=0) | Q(scheduled_on__lt=today) | Q(scheduled_on__isnull=True)
    ).order_by("scheduled_on", "created_at")
    scored = _with_counts(mine.filter(status=PracticalStatus.SUBMITTED)).order_by(
        "-submitted_at"
    )[:RECENTLY_SCORED]
    return PracticalWorkplace(
        today=today,
        coming=tuple(practical_data(a) for a in coming),
        drafts=tuple(practical_data(a) for a in started),
        scored=tuple(practical_data(a) for a in scored),
    )


def practical_drafts_count(*, assessor_id: int) -> int:
    """The assessor's tests not yet confirmed whose day has come (the nav badge)."""
    return PracticalAssessment.objects.filter(
        Q(scheduled_on__lte=timezone.localdate()) | Q(scheduled_on__isnull=True),
        assessor_id=assessor_id,
        status=PracticalStatus.DRAFT,
    ).count()


def _criteria(assessment: PracticalAssessment) -> tuple[CriterionSheet, ...]:
    chosen = {s.criterion_id: s for s in assessment.scores.all()}
    criteria = []
    for criterion in assessment.rubric.criteria.prefetch_related("levels"):
        score = chosen.get(criterion.pk)
        criteria.append(
            CriterionSheet(
                id=criterion.pk,
                title=criterion.title,
                weight=criterion.weight,
                levels=tuple(
                    LevelOption(
                        id=level.pk,
                        label=level.label,
                        descriptor=level.descriptor,
                        fraction=level.fraction,
                    )
                    for level in criterion.levels.all()
                ),
                chosen_level_id=score.level_id if score else None,
                comment=score.comment if score else "",
            )
        )
    return tuple(criteria)


def _evidence(assessment: PracticalAssessment) -> tuple[EvidenceData, ...]:
    return tuple(
        evidence_data(e) for e in assessment.evidence.order_by("uploaded_at", "pk")
    )


def _own(*, assessment_id: int, assessor_id: int) -> PracticalAssessment:
    assessment = (
        _with_counts(PracticalAssessment.objects.filter(assessor_id=assessor_id))
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such practical test."))
    return assessment


def practical_sheet_get(*, assessment_id: int, assessor_id: int) -> PracticalSheet:
    """The assessor's form for one of their own tests; NotFound for anyone else's."""
    assessment = _own(assessment_id=assessment_id, assessor_id=assessor_id)
    return PracticalSheet(
        practical=practical_data(assessment),
        criteria=_criteria(assessment),
        evidence=_evidence(assessment),
    )


def scores_token(pairs: Any) -> str:
    """The fingerprint of a set of (criterion id, level id) choices."""
    text = ";".join(f"{c}:{lv}" for c, lv in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _summary(assessment: PracticalAssessment) -> PracticalSummary:
    scores = {
        s.criterion_id: s for s in assessment.scores.select_related("level").all()
    }
    rows, missing = [], []
    total_weight, earned = 0, Decimal(0)
    for criterion in assessment.rubric.criteria.all():
        total_weight += criterion.weight
        score = scores.get(criterion.pk)
        if score is None:
            missing.append(criterion.title)
            continue
        points = Decimal(criterion.weight) * score.level.fraction
        earned += points
        rows.append(
            SummaryRow(
                criterion_id=criterion.pk,
                title=criterion.title,
                weight=criterion.weight,
                level_label=score.level.label,
                descriptor=score.level.descriptor,
                fraction=score.level.fraction,
                points=points.quantize(Decimal("0.01")),
                comment=score.comment,
            )
        )
    percent = None
    if not missing and total_weight:
        percent = (earned * 100 / total_weight).quantize(Decimal("0.01"))
    policy = LevelPolicy.objects.filter(
        occupation_id=assessment.rubric.occupation_id
    ).first() or LevelPolicy(occupation_id=assessment.rubric.occupation_id)
    if assessment.status == PracticalStatus.SUBMITTED:
        percent = assessment.percent
    return PracticalSummary(
        practical=practical_data(assessment),
        rows=tuple(rows),
        missing=tuple(missing),
        percent=percent,
        skill_level=level_ref(assessment.rubric.skill_level),
        occupation=occupation_ref(assessment.rubric.occupation),
        practical_min_percent=Decimal(policy.practical_min_percent),
        evidence=_evidence(assessment),
        token=scores_token((c, s.level_id) for c, s in scores.items()),
    )


def _loaded(rows: Any) -> Any:
    return _with_counts(rows).select_related(
        "rubric__occupation", "rubric__skill_level"
    )


def practical_summary_get(*, assessment_id: int, assessor_id: int) -> PracticalSummary:
    """What the assessor confirms: their own test only."""
    _own(assessment_id=assessment_id, assessor_id=assessor_id)
    assessment = _loaded(PracticalAssessment.objects.filter(pk=assessment_id)).get()
    return _summary(assessment)


def _correction(row: Any) -> CorrectionData:
    return CorrectionData(
        id=row.pk,
        corrected_by_name=row.corrected_by.display_name,
        corrected_at=row.corrected_at,
        reason=row.reason,
        percent_before=row.percent_before,
        percent_after=row.percent_after,
        changes=tuple(
            CorrectionChange(
                title=c.get("title", ""),
                before=c.get("before", ""),
                after=c.get("after", ""),
            )
            for c in row.changes
        ),
    )


def practical_page_get(*, assessment_id: int, viewer_id: int) -> PracticalPage:
    """A submitted test's page for its assessor, another assessor or staff in scope
    (NotFound for anyone else, and for a draft that is not the viewer's)."""
    viewer = person(viewer_id)
    if viewer is None:
        raise NotFound(_("No such practical test."))
    assessment = (
        _loaded(PracticalAssessment.objects.filter(tests_visible_to(viewer)))
        .filter(pk=assessment_id)
        .exclude(~Q(assessor=viewer) & Q(status=PracticalStatus.DRAFT))
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such practical test."))
    return PracticalPage(
        summary=_summary(assessment),
        corrections=tuple(
            _correction(c)
            for c in assessment.corrections.select_related("corrected_by")
        ),
        criteria=_criteria(assessment),
        can_correct=may_correct(viewer, assessment),
    )


def practical_evidence_for_viewer(
    *, evidence_id: int, viewer_id: int | None
) -> EvidenceData | None:
    """An evidence photo, if this person may see it: the test's assessor (while
    still an assessor), its candidate, any assessor once it is submitted (a second
    assessor weighs it), ministry staff of the candidate's directorate. Everyone
    else gets None, as for a photo that does not exist."""
    viewer = person(viewer_id)
    if viewer is None:
        return None
    evidence = (
        PracticalEvidence.objects.filter(
            tests_visible_to(viewer, prefix="assessment__")
        )
        .filter(pk=evidence_id)
        .first()
    )
    return evidence_data(evidence) if evidence else None
