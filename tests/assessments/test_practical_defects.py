"""The practical-test defects of issue #17, as an assessor met them: one click locked
a 0 % score with no summary and no way back, and a test opened for anybody."""

import pytest
from django.urls import reverse

from assessments.models import PracticalAssessment
from lms.kernel.errors import Conflict, Forbidden
from tests.assessments.conftest import confirm_practical, open_practical

pytestmark = pytest.mark.django_db


def test_one_click_on_submit_does_not_lock_a_zero_score(
    client, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[assessment.pk])
    lowest = {f"c-{c.pk}": c.levels.get(label="ضعيف").pk for c in rubric.criteria.all()}
    response = client.post(url, {**lowest, "submit": "1"})
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.percent is None
    summary = client.get(response["Location"])
    assert summary.status_code == 200
    assert "0" in summary.content.decode()


def test_a_submitted_score_can_be_corrected_by_another_assessor(
    rubric, eligible_trainee, assessor, make_user
):
    from assessments import services

    assessment = open_practical(rubric, eligible_trainee, assessor)
    zero = {c.pk: c.levels.get(label="ضعيف").pk for c in rubric.criteria.all()}
    services.practical_assessment_score(
        assessment_id=assessment.pk, assessor_id=assessor.pk, levels=zero
    )
    confirm_practical(assessment, assessor)
    full = {c.pk: c.levels.get(label="ممتاز").pk for c in rubric.criteria.all()}
    services.practical_score_correct(
        assessment_id=assessment.pk,
        corrector_id=make_user("assessor").pk,
        levels=full,
        reason="ورقة التقييم سُجّلت خطأً",
    )
    assessment.refresh_from_db()
    assert assessment.percent == 100


def test_a_test_cannot_be_opened_for_someone_who_did_not_complete_the_course(
    rubric, trainee, assessor
):
    with pytest.raises(Conflict) as refused:
        open_practical(rubric, trainee, assessor)
    assert refused.value.code == "course_not_completed"
    assert not PracticalAssessment.objects.exists()


def test_a_test_cannot_be_opened_for_an_account_that_is_not_a_trainee(
    rubric, instructor, assessor
):
    with pytest.raises(Forbidden) as refused:
        open_practical(rubric, instructor, assessor)
    assert refused.value.code == "not_a_candidate"
    assert not PracticalAssessment.objects.exists()
