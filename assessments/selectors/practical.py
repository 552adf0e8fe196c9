"""Reads about practical tests: the rubrics in use, an assessor's tests and form, and
who may see an evidence photo."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.data import (
    CriterionSheet,
    EvidenceData,
    LevelOption,
    PracticalData,
    PracticalSheet,
    RubricData,
)
from assessments.models import PracticalAssessment, PracticalEvidence, Rubric
from assessments.selectors.build import evidence_data, practical_data, rubric_data
from assessments.selectors.people import person
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound


def rubrics_active() -> tuple[RubricData, ...]:
    rows = Rubric.objects.filter(is_active=True).select_related(
        "occupation", "skill_level"
    )
    return tuple(rubric_data(r) for r in rows)


def practicals_for_assessor(
    *, assessor_id: int, limit: int = 100
) -> tuple[PracticalData, ...]:
    """The assessor's practical tests, newest first."""
    rows = PracticalAssessment.objects.filter(assessor_id=assessor_id).select_related(
        "trainee", "rubric"
    )[:limit]
    return tuple(practical_data(a) for a in rows)


def practical_sheet_get(*, assessment_id: int, assessor_id: int) -> PracticalSheet:
    """The assessor's form for one of their own tests; NotFound for anyone else's."""
    assessment = (
        PracticalAssessment.objects.select_related("rubric", "trainee")
        .filter(pk=assessment_id, assessor_id=assessor_id)
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such practical test."))
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
                    LevelOption(id=level.pk, label=level.label)
                    for level in criterion.levels.all()
                ),
                chosen_level_id=score.level_id if score else None,
                comment=score.comment if score else "",
            )
        )
    return PracticalSheet(
        practical=practical_data(assessment),
        criteria=tuple(criteria),
        evidence=tuple(evidence_data(e) for e in assessment.evidence.all()),
    )


def practical_evidence_for_viewer(
    *, evidence_id: int, viewer_id: int | None
) -> EvidenceData | None:
    """An evidence photo, if this person may see it: the assessor of that practical
    test (while still an assessor), the trainee whose test it is, or ministry staff
    (who approve the result). Everyone else gets None, as for a photo that does not
    exist."""
    viewer = person(viewer_id)
    if viewer is None:
        return None
    rows = PracticalEvidence.objects.filter(pk=evidence_id)
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        # Staff of the trainee's directorate (head office: all) weigh the result;
        # staff of another directorate, or of none, see nothing.
        try:
            scope = staff_scope(user_id=viewer.pk)
        except Forbidden:
            return None
        if not scope.head_office:
            rows = rows.filter(
                assessment__trainee__governorate_code__in=scope.governorate_codes
            )
    else:
        mine = Q(assessment__trainee=viewer)
        if user_has_role(viewer, Role.ASSESSOR):
            mine |= Q(assessment__assessor=viewer)
        rows = rows.filter(mine)
    evidence = rows.first()
    return evidence_data(evidence) if evidence else None
