"""Essay answers are graded by an assessor on a page; trainees are refused."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AttemptStatus, BlueprintRule, ExamBlueprint
from tests.assessments.conftest import start


@pytest.fixture
def essay_attempt(bank, make_question, occupation, level, eligible_trainee):
    make_question("essay", topic="كتابة", stem="اشرح سبب تجمد المبخر")
    bp = ExamBlueprint.objects.create(
        slug="essay-only",
        title="مقالي",
        bank=bank,
        occupation=occupation,
        skill_level=level,
    )
    BlueprintRule.objects.create(
        blueprint=bp, topic=bank.topics.get(name="كتابة"), count=1
    )
    attempt = start(eligible_trainee, bp)
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=eligible_trainee.pk,
        position=1,
        response="قلة الهواء",
        seq=1,
    )
    services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    attempt.refresh_from_db()
    return attempt


def test_assessor_grades_an_essay_with_eastern_digits(client, assessor, essay_attempt):
    client.force_login(assessor)
    page = client.get(reverse("assessments:grading_queue")).content.decode()
    assert "قلة الهواء" in page
    assert essay_attempt.user.full_name_ar not in page
    item = essay_attempt.items.get()
    client.post(
        reverse("assessments:grading_queue"), {"item": item.pk, "percent": "٨٠"}
    )
    essay_attempt.refresh_from_db()
    assert essay_attempt.status == AttemptStatus.GRADED and essay_attempt.percent == 80


def test_a_grade_that_is_not_a_number_is_refused(client, assessor, essay_attempt):
    client.force_login(assessor)
    item = essay_attempt.items.get()
    client.post(
        reverse("assessments:grading_queue"), {"item": item.pk, "percent": "جيد"}
    )
    essay_attempt.refresh_from_db()
    assert essay_attempt.status == AttemptStatus.AWAITING_GRADING


@pytest.mark.parametrize("role", ["trainee", "instructor", "content_editor"])
def test_others_cannot_open_the_grading_page(client, make_user, role, essay_attempt):
    client.force_login(make_user(role))
    assert client.get(reverse("assessments:grading_queue")).status_code == 403
