"""Practical rubrics (assessor rule, photo evidence), the per-occupation level policy
and the hand-off of a pass to the registry as exactly one pending certificate."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from assessments import services
from assessments.models import LevelPolicy, PracticalAssessment, SkillResult
from lms.kernel.errors import Conflict, Forbidden, Invalid
from tests.assessments.conftest import (
    answer_all_correctly,
    confirm_practical,
    open_practical,
    start,
)


def photo(name="evidence.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "#888").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def levels_for(rubric, labels):
    return {
        c.pk: c.levels.get(label=label).pk
        for c, label in zip(rubric.criteria.all(), labels, strict=True)
    }


def score(assessment, assessor, labels, *, submit=True):
    """Save the levels as a draft and, by default, confirm the summary."""
    draft = services.practical_assessment_score(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        levels=levels_for(assessment.rubric, labels),
    )
    return confirm_practical(assessment, assessor) if submit else draft


def test_practical_percent_weights_each_criterion(rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    done = score(assessment, assessor, ["ممتاز", "مقبول"])
    assert done.percent == Decimal("87.50")  # (3*1 + 1*0.5) / 4
    assert done.status == "submitted"


def test_an_assessor_cannot_assess_themselves(rubric, assessor):
    with pytest.raises(Forbidden, match="cannot assess themselves") as refused:
        open_practical(rubric, assessor, assessor)
    assert refused.value.code == "self_assessment"


def test_the_database_also_refuses_self_assessment(rubric, assessor):
    with pytest.raises(IntegrityError):
        PracticalAssessment.objects.create(
            rubric=rubric, trainee=assessor, assessor=assessor
        )


def test_a_non_assessor_cannot_score(rubric, eligible_trainee, instructor):
    with pytest.raises(Forbidden, match="Only assessors"):
        open_practical(rubric, eligible_trainee, instructor)


def test_a_rubric_no_longer_in_use_is_refused(rubric, eligible_trainee, assessor):
    rubric.is_active = False
    rubric.save()
    with pytest.raises(Conflict) as refused:
        open_practical(rubric, eligible_trainee, assessor)
    assert refused.value.code == "rubric_inactive"


def test_a_submitted_practical_takes_no_more_scores(rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    score(assessment, assessor, ["ممتاز", "ممتاز"])
    with pytest.raises(Conflict) as refused:
        score(assessment, assessor, ["ضعيف", "ضعيف"])
    assert refused.value.code == "practical_submitted"
    assessment.refresh_from_db()
    assert assessment.percent == 100


def test_another_assessor_cannot_change_my_scores(
    rubric, eligible_trainee, assessor, make_user
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    with pytest.raises(Forbidden, match="another assessor"):
        score(assessment, make_user("assessor"), ["ممتاز", "ممتاز"])


def test_submitting_needs_every_criterion(rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    first = rubric.criteria.first()
    services.practical_assessment_score(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        levels={first.pk: first.levels.first().pk},
    )
    with pytest.raises(Invalid, match="Score every criterion") as refused:
        confirm_practical(assessment, assessor)
    assert refused.value.code == "criteria_missing"


def test_a_level_of_another_criterion_is_refused(rubric, eligible_trainee, assessor):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    first, second = rubric.criteria.all()
    with pytest.raises(Invalid, match="performance levels"):
        services.practical_assessment_score(
            assessment_id=assessment.pk,
            assessor_id=assessor.pk,
            levels={first.pk: second.levels.first().pk},
        )


def test_photo_evidence_is_attached_and_non_images_refused(
    rubric, eligible_trainee, assessor
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    services.practical_evidence_add(
        assessment_id=assessment.pk,
        assessor_id=assessor.pk,
        image=photo(),
        caption="اللحام",
    )
    assert assessment.evidence.count() == 1
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(Invalid, match="not a photo") as refused:
        services.practical_evidence_add(
            assessment_id=assessment.pk, assessor_id=assessor.pk, image=fake
        )
    assert refused.value.code == "not_a_photo"
    assert assessment.evidence.count() == 1


def test_assessor_scores_on_the_tablet_form(client, rubric, eligible_trainee, assessor):
    client.force_login(assessor)
    started = client.post(
        reverse("assessments:practical_start"),
        {"trainee": eligible_trainee.username, "rubric": rubric.pk},
    )
    assessment = PracticalAssessment.objects.get()
    assert started["Location"].endswith(f"/practical/{assessment.pk}/")
    url = reverse("assessments:practical_score", args=[assessment.pk])
    client.post(url, {"upload": "1", "image": photo(), "caption": "قبل"})
    form = {f"c-{c}": lv for c, lv in levels_for(rubric, ["ممتاز", "ممتاز"]).items()}
    to_summary = client.post(url, {**form, "comments": "عمل نظيف", "submit": "1"})
    summary_url = reverse("assessments:practical_summary", args=[assessment.pk])
    assert to_summary["Location"] == summary_url
    token = client.get(summary_url).context["summary"].token
    client.post(summary_url, {"token": token, "confirm": "1"})
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.percent == 100
    assert assessment.evidence.count() == 1 and assessment.comments == "عمل نظيف"


def test_the_tablet_form_refuses_self_assessment(client, rubric, assessor):
    client.force_login(assessor)
    response = client.post(
        reverse("assessments:practical_start"),
        {"trainee": assessor.username, "rubric": rubric.pk},
    )
    assert response.status_code == 400
    assert not PracticalAssessment.objects.exists()


@pytest.mark.parametrize("role", ["trainee", "instructor", "content_editor"])
def test_only_assessors_open_the_practical_pages(client, make_user, role, rubric):
    client.force_login(make_user(role))
    assert client.get(reverse("assessments:practical_list")).status_code == 403


def test_an_assessor_cannot_open_another_assessors_form(
    client, rubric, eligible_trainee, assessor, make_user
):
    assessment = open_practical(rubric, eligible_trainee, assessor)
    client.force_login(make_user("assessor"))
    url = reverse("assessments:practical_score", args=[assessment.pk])
    assert client.get(url).status_code == 404


# --- the level policy ---------------------------------------------------------------
def sit(blueprint, user, *, correct=True):
    attempt = start(user, blueprint)
    if correct:
        answer_all_correctly(attempt, user)
    return services.attempt_submit(attempt_id=attempt.pk, user_id=user.pk)


def practical(rubric, trainee, assessor, labels):
    assessment = open_practical(rubric, trainee, assessor)
    return score(assessment, assessor, labels)


def test_policy_combines_theory_and_practical_by_weight(
    blueprint, rubric, eligible_trainee, assessor, occupation
):
    LevelPolicy.objects.create(
        occupation=occupation,
        theory_weight=1,
        practical_weight=3,
        theory_min_percent=50,
        practical_min_percent=50,
        pass_percent=60,
    )
    sit(blueprint, eligible_trainee)
    practical(rubric, eligible_trainee, assessor, ["مقبول", "مقبول"])
    result = SkillResult.objects.get()
    assert result.combined_percent == Decimal("62.50")  # (100*1 + 50*3) / 4
    assert result.passed and result.skill_level == blueprint.skill_level


def test_policy_minimum_in_the_practical_fails_a_high_theory(
    blueprint, rubric, eligible_trainee, assessor, occupation
):
    LevelPolicy.objects.create(
        occupation=occupation,
        theory_weight=90,
        practical_weight=10,
        practical_min_percent=60,
    )
    sit(blueprint, eligible_trainee)
    practical(rubric, eligible_trainee, assessor, ["مقبول", "مقبول"])
    result = SkillResult.objects.get()
    assert result.combined_percent >= 60 and result.passed is False


def test_no_result_until_both_parts_exist(blueprint, eligible_trainee):
    sit(blueprint, eligible_trainee)
    assert not SkillResult.objects.exists()


def test_a_theory_only_policy_needs_no_practical(
    blueprint, eligible_trainee, occupation
):
    LevelPolicy.objects.create(
        occupation=occupation, theory_weight=1, practical_weight=0
    )
    sit(blueprint, eligible_trainee)
    assert SkillResult.objects.get().passed


def test_a_pass_creates_exactly_one_pending_certificate(
    blueprint, rubric, eligible_trainee, assessor
):
    from registry.selectors import certificate_list_for_holder

    sit(blueprint, eligible_trainee)
    practical(rubric, eligible_trainee, assessor, ["ممتاز", "ممتاز"])
    result = SkillResult.objects.get()
    again = services.skill_result_evaluate(
        user_id=eligible_trainee.pk,
        occupation_id=blueprint.occupation_id,
        skill_level_id=blueprint.skill_level_id,
    )
    assert again.id == result.id and again.certificate_id == result.certificate_id
    practical(
        rubric, eligible_trainee, assessor, ["ممتاز", "مقبول"]
    )  # a later practical
    certificates = certificate_list_for_holder(national_id=eligible_trainee.national_id)
    assert len(certificates) == 1
    assert certificates[0].id == result.certificate_id
    assert str(certificates[0].status) == "pending"


def test_a_fail_creates_no_certificate(blueprint, rubric, eligible_trainee, assessor):
    from registry.selectors import certificate_list_for_holder

    sit(blueprint, eligible_trainee, correct=False)
    practical(rubric, eligible_trainee, assessor, ["ضعيف", "ضعيف"])
    assert SkillResult.objects.get().passed is False
    assert certificate_list_for_holder(national_id=eligible_trainee.national_id) == []


def test_the_certificate_carries_the_evidence_its_approver_weighs(
    blueprint, rubric, eligible_trainee, assessor
):
    """Exam and rubric scores, the assessor and the photos reach the registry's
    pending certificate (its approval screen shows them)."""
    from registry.selectors import certificate_list_for_holder

    sit(blueprint, eligible_trainee)
    practical(rubric, eligible_trainee, assessor, ["ممتاز", "ممتاز"])
    (cert,) = certificate_list_for_holder(national_id=eligible_trainee.national_id)
    evidence = cert.evidence
    assert evidence["theory_percent"] and evidence["practical_percent"]
    frozen = evidence["practical"]
    assert frozen["assessor"]["name"] == assessor.display_name
    assert frozen["rubric"] == rubric.title
    assert [r["criterion"] for r in frozen["scores"]] == [
        c.title for c in rubric.criteria.order_by("position")
    ]
    assert all(r["level"] and r["weight"] for r in frozen["scores"])
    assert isinstance(frozen["photos"], list)
