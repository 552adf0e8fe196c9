"""Practical tests: who may be a candidate, drafts saved as the assessor goes, the
summary that alone submits, and corrections by another assessor or staff (audited)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import (
    LevelPolicy,
    PracticalAssessment,
    PracticalCorrection,
    SkillResult,
)
from lms.kernel.errors import Conflict, Forbidden, Invalid
from tests.assessments.conftest import confirm_practical, open_practical
from tests.assessments.test_practical_and_level import photo, sit

pytestmark = pytest.mark.django_db


def levels(rubric, label):
    return {c.pk: c.levels.get(label=label).pk for c in rubric.criteria.all()}


def draft(assessment, assessor, label="ممتاز"):
    return services.practical_assessment_score(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        levels=levels(assessment.rubric, label),
    )


@pytest.fixture
def scored(rubric, eligible_trainee, assessor):
    """A submitted test: every criterion 'مقبول' (50 %)."""
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor, "مقبول")
    confirm_practical(assessment, assessor)
    assessment.refresh_from_db()
    return assessment


def correct(assessment, who, label="ممتاز", reason="أُعيدت مراجعة الصور"):
    return services.practical_score_correct(
        assessment_id=assessment.pk,
        corrector_id=who.pk,
        levels=levels(assessment.rubric, label),
        reason=reason,
    )


def _staff_of(make_user, directorate):
    from lms.accounts.services import staff_directorate_assign

    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code=directorate)
    return user


# --- who may be a candidate ----------------------------------------------------------
def test_a_course_of_another_level_does_not_make_a_candidate(
    rubric, trainee, assessor, complete_course, occupation
):
    from courses.models import CourseCompletion, CoursePage
    from registry.models import SkillLevel

    other = SkillLevel.objects.exclude(pk=rubric.skill_level_id).first()
    course = complete_course.course
    sibling = course.get_parent().add_child(
        instance=CoursePage(
            title="مستوى آخر",
            slug="other-level",
            occupation=occupation,
            skill_level=other,
        )
    )
    CourseCompletion.objects.create(
        user=trainee, course=sibling, completed_at=timezone.now()
    )
    with pytest.raises(Conflict) as refused:
        open_practical(rubric, trainee, assessor)
    assert refused.value.code == "course_not_completed"


def test_ministry_staff_are_not_candidates(rubric, ministry_staff, assessor):
    with pytest.raises(Forbidden) as refused:
        open_practical(rubric, ministry_staff, assessor)
    assert refused.value.code == "not_a_candidate"


def test_the_page_says_why_a_candidate_is_refused(client, rubric, trainee, assessor):
    client.force_login(assessor)
    response = client.post(
        reverse("assessments:practical_start"),
        {"trainee": trainee.username, "rubric": rubric.pk},
    )
    assert response.status_code == 400
    assert "has not completed a course" in response.content.decode()
    assert not PracticalAssessment.objects.exists()


def test_a_day_in_the_past_is_refused(rubric, eligible_trainee, assessor):
    with pytest.raises(Invalid) as refused:
        services.practical_assessment_create(
            rubric_id=rubric.pk,
            trainee_id=eligible_trainee.pk,
            assessor_id=assessor.pk,
            scheduled_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert refused.value.code == "day_in_past"


def test_a_second_open_test_by_the_same_rubric_is_refused(
    rubric, eligible_trainee, assessor
):
    open_practical(rubric, eligible_trainee, assessor)
    with pytest.raises(Conflict) as refused:
        open_practical(rubric, eligible_trainee, assessor)
    assert refused.value.code == "practical_open"


def test_the_day_is_typed_in_eastern_arabic_digits(
    client, rubric, eligible_trainee, assessor
):
    client.force_login(assessor)
    day = timezone.localdate() + dt.timedelta(days=3)
    eastern = day.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client.post(
        reverse("assessments:practical_start"),
        {
            "trainee": eligible_trainee.username,
            "rubric": rubric.pk,
            "scheduled_on": eastern,
        },
    )
    assert PracticalAssessment.objects.get().scheduled_on == day


# --- drafts and the summary ----------------------------------------------------------
def test_a_draft_is_not_a_result(rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    first = rubric.criteria.first()
    services.practical_assessment_score(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        levels={first.pk: first.levels.get(label="ضعيف").pk},
    )
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.percent is None
    assert assessment.scores.count() == 1
    assert not SkillResult.objects.exists()


def test_each_choice_is_saved_as_it_is_made(client, rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    first = rubric.criteria.first()
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[assessment.pk])
    saved = client.post(
        url,
        {f"c-{first.pk}": first.levels.get(label="مقبول").pk, "comments": "بدأ"},
        HTTP_X_AUTOSAVE="1",
    )
    assert saved.status_code == 200 and saved.json()["saved"] is True
    score = assessment.scores.get()
    assert score.level.label == "مقبول"
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.comments == "بدأ"


def test_an_autosave_with_a_foreign_level_is_refused(
    client, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    first, second = rubric.criteria.all()
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[assessment.pk])
    refused = client.post(
        url, {f"c-{first.pk}": second.levels.first().pk}, HTTP_X_AUTOSAVE="1"
    )
    assert refused.status_code == 400 and refused.json()["saved"] is False
    assert "performance levels" in refused.json()["message"]
    assert not assessment.scores.exists()


def test_the_summary_shows_levels_total_skill_level_and_photos(
    client, rubric, eligible_trainee, assessor, occupation
):
    LevelPolicy.objects.create(occupation=occupation, practical_min_percent=60)
    assessment = open_practical(rubric, eligible_trainee, assessor)
    services.practical_evidence_add(
        assessment_id=assessment.pk, assessor_id=assessor.pk, image=photo()
    )
    first, second = rubric.criteria.all()
    good = first.levels.get(label="ممتاز")
    good.descriptor = "استرجع الغاز كله دون تسريب"
    good.save()
    services.practical_assessment_score(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        levels={first.pk: good.pk, second.pk: second.levels.get(label="ضعيف").pk},
    )
    client.force_login(assessor)
    url = reverse("assessments:practical_summary", args=[assessment.pk])
    response = client.get(url)
    summary = response.context["summary"]
    assert summary.percent == Decimal("75.00")  # (3*1 + 1*0) / 4
    assert [r.level_label for r in summary.rows] == ["ممتاز", "ضعيف"]
    assert summary.meets_minimum and len(summary.evidence) == 1
    page = response.content.decode()
    assert "75.00%" in page and "استرجع الغاز كله دون تسريب" in page
    assert rubric.skill_level.name_ar in page or rubric.skill_level.name_en in page
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_a_summary_with_criteria_unscored_cannot_be_confirmed(
    client, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    client.force_login(assessor)
    url = reverse("assessments:practical_summary", args=[assessment.pk])
    page = client.get(url)
    assert page.context["summary"].missing == ("الاسترجاع", "اللحام")
    assert 'name="confirm"' not in page.content.decode()
    refused = client.post(url, {"token": page.context["summary"].token})
    assert refused.status_code == 400
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_a_confirmation_of_a_summary_that_changed_is_refused(
    client, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor, "ضعيف")
    client.force_login(assessor)
    url = reverse("assessments:practical_summary", args=[assessment.pk])
    seen = client.get(url).context["summary"].token
    draft(assessment, assessor, "ممتاز")  # another tab changed the scores
    refused = client.post(url, {"token": seen})
    assert refused.status_code == 409
    assert "changed since the summary" in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_confirming_submits_and_the_sheet_is_then_read_only(
    client, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor, "مقبول")
    client.force_login(assessor)
    url = reverse("assessments:practical_summary", args=[assessment.pk])
    token = client.get(url).context["summary"].token
    done = client.post(url, {"token": token})
    detail = reverse("assessments:practical_detail", args=[assessment.pk])
    assert done["Location"] == detail
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.percent == 50
    sheet = reverse("assessments:practical_score", args=[assessment.pk])
    assert client.get(sheet)["Location"] == detail
    assert client.post(sheet, levels(rubric, "ممتاز"))["Location"] == detail
    assessment.refresh_from_db()
    assert assessment.percent == 50


@pytest.mark.parametrize("role", ["trainee", "instructor"])
def test_the_summary_is_the_assessor_s_only(
    client, make_user, role, rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    url = reverse("assessments:practical_summary", args=[assessment.pk])
    client.force_login(make_user(role))
    assert client.get(url).status_code == 403
    client.force_login(make_user("assessor"))
    assert client.get(url).status_code == 404


# --- corrections ---------------------------------------------------------------------
def test_another_assessor_corrects_with_a_reason_and_the_page_shows_the_audit(
    client, scored, assessor, make_user
):
    second = make_user("assessor", first_name="منى", last_name="المراجِعة")
    done = correct(scored, second, "ممتاز", "أخطأ المقيّم في قراءة الضغط")
    assert (done.percent_before, done.percent_after) == (Decimal(50), Decimal(100))
    row = PracticalCorrection.objects.get()
    assert row.corrected_by == second and row.reason == "أخطأ المقيّم في قراءة الضغط"
    assert {c["before"] for c in row.changes} == {"مقبول"}
    assert {c["after"] for c in row.changes} == {"ممتاز"}
    scored.refresh_from_db()
    assert scored.percent == 100
    client.force_login(assessor)
    page = client.get(reverse("assessments:practical_detail", args=[scored.pk]))
    text = page.content.decode()
    assert second.display_name in text and "أخطأ المقيّم في قراءة الضغط" in text
    assert "50.00%" in text and "100.00%" in text
    assert 'name="reason"' not in text  # its own assessor gets no form


def test_the_original_assessor_cannot_correct_their_own_score(client, scored, assessor):
    with pytest.raises(Forbidden) as refused:
        correct(scored, assessor)
    assert refused.value.code == "own_score"
    client.force_login(assessor)
    url = reverse("assessments:practical_detail", args=[scored.pk])
    response = client.post(url, {**_form(scored, "ممتاز"), "reason": "سهو"})
    assert response.status_code == 403
    scored.refresh_from_db()
    assert scored.percent == 50 and not PracticalCorrection.objects.exists()


def _form(assessment, label):
    return {f"c-{c}": lv for c, lv in levels(assessment.rubric, label).items()}


def test_a_correction_needs_a_reason(client, scored, make_user):
    second = make_user("assessor")
    with pytest.raises(Invalid) as refused:
        correct(scored, second, reason="   ")
    assert refused.value.code == "reason_required"
    client.force_login(second)
    url = reverse("assessments:practical_detail", args=[scored.pk])
    response = client.post(url, {**_form(scored, "ممتاز"), "reason": ""})
    assert response.status_code == 400
    assert "Say why the score is corrected" in response.content.decode()
    assert not PracticalCorrection.objects.exists()


def test_a_correction_that_changes_nothing_is_refused(scored, make_user):
    with pytest.raises(Invalid) as refused:
        correct(scored, make_user("assessor"), "مقبول")
    assert refused.value.code == "nothing_changed"


def test_a_draft_cannot_be_corrected(rubric, eligible_trainee, assessor, make_user):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor)
    with pytest.raises(Conflict) as refused:
        correct(assessment, make_user("assessor"))
    assert refused.value.code == "practical_not_submitted"


def test_staff_of_the_candidate_s_directorate_correct(
    scored, make_user, eligible_trainee
):
    from tests.factories import make_national_id

    eligible_trainee.national_id = make_national_id(governorate="13")
    eligible_trainee.save()
    with pytest.raises(Forbidden) as refused:
        correct(scored, _staff_of(make_user, "01"))
    assert refused.value.code == "not_a_corrector"
    done = correct(scored, _staff_of(make_user, "13"))
    assert done.percent_after == 100


def test_staff_of_another_directorate_do_not_see_the_test(
    client, scored, make_user, eligible_trainee
):
    from tests.factories import make_national_id

    eligible_trainee.national_id = make_national_id(governorate="13")
    eligible_trainee.save()
    url = reverse("assessments:practical_detail", args=[scored.pk])
    client.force_login(_staff_of(make_user, "01"))
    assert client.get(url).status_code == 404
    client.force_login(_staff_of(make_user, "13"))
    assert 'name="reason"' in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["trainee", "instructor", "content_editor"])
def test_others_cannot_open_a_scored_test(client, scored, make_user, role):
    client.force_login(make_user(role))
    url = reverse("assessments:practical_detail", args=[scored.pk])
    assert client.get(url).status_code == 403


def test_another_assessor_does_not_see_a_draft(
    client, rubric, eligible_trainee, assessor, make_user
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    client.force_login(make_user("assessor"))
    url = reverse("assessments:practical_detail", args=[assessment.pk])
    assert client.get(url).status_code == 404


def test_a_correction_weighs_again_a_result_without_certificate(
    blueprint, rubric, eligible_trainee, assessor, make_user
):
    sit(blueprint, eligible_trainee)
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor, "ضعيف")
    confirm_practical(assessment, assessor)
    assert SkillResult.objects.get().passed is False
    correct(assessment, make_user("assessor"), "ممتاز")
    result = SkillResult.objects.get()
    assert result.passed and result.certificate_id is not None


def test_a_score_with_a_certificate_requested_is_not_corrected(
    blueprint, rubric, eligible_trainee, assessor, make_user
):
    sit(blueprint, eligible_trainee)
    assessment = open_practical(rubric, eligible_trainee, assessor)
    draft(assessment, assessor, "ممتاز")
    confirm_practical(assessment, assessor)
    assert SkillResult.objects.get().certificate_id is not None
    with pytest.raises(Conflict) as refused:
        correct(assessment, make_user("assessor"), "ضعيف")
    assert refused.value.code == "certificate_requested"
    assessment.refresh_from_db()
    assert assessment.percent == 100


def test_another_assessor_may_correct_a_scored_test(scored, make_user):
    page = selectors.practical_page_get(
        assessment_id=scored.pk, viewer_id=make_user("assessor").pk
    )
    assert page.can_correct and page.corrections == ()
