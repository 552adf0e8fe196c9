"""The exam's review: once submitted and graded, each question with the trainee's
answer, the author's feedback for it, the hints and the explanation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ExamBlueprint, QuestionVersion
from tests.assessments.conftest import start

KEY = {
    "options": [
        {"text": "فصل التيار", "fraction": 1, "feedback": "أحسنت: الأمان أولاً"},
        {"text": "تشغيل المروحة", "fraction": 0, "feedback": "المروحة لا تحمي منك"},
        {"text": "لحام الأنابيب", "fraction": 0, "feedback": ""},
    ]
}


@pytest.fixture
def exam(bank, occupation, level, make_question):
    question = make_question(
        "single_choice", data=KEY, explanation="افصل التيار قبل أي عمل."
    )
    version = QuestionVersion.objects.get(pk=question.current_version_id)
    version.data = {  # what the importers keep (Moodle's hints, combined feedback)
        **version.data,
        "hints": ["فكر في الكهرباء"],
        "feedback": {"incorrect": "راجع درس السلامة", "correct": "إجابة كاملة"},
    }
    version.save(update_fields=["data"])
    blueprint = ExamBlueprint.objects.create(
        slug="review-exam",
        title="اختبار المراجعة",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        requires_course_completion=False,
    )
    blueprint.rules.create(topic=question.topic, count=1)
    return blueprint


def answer(attempt, user, text):
    item = attempt.items.get()
    option = next(o for o in item.snapshot["data"]["options"] if o["text"] == text)
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=user.pk,
        position=1,
        response=option["id"],
        seq=1,
    )


def test_the_review_shows_feedback_hints_and_explanation(exam, trainee, client):
    attempt = start(trainee, exam)
    answer(attempt, trainee, "تشغيل المروحة")
    client.force_login(trainee)
    question = client.get(reverse("assessments:attempt_question", args=[attempt.pk, 1]))
    assert "المروحة لا تحمي منك" not in question.content.decode()  # not while open
    services.attempt_submit(attempt_id=attempt.pk, user_id=trainee.pk)
    html = client.get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    ).content.decode()
    assert "تشغيل المروحة" in html  # the trainee's answer
    assert "المروحة لا تحمي منك" in html and "راجع درس السلامة" in html
    assert "فكر في الكهرباء" in html
    assert "افصل التيار قبل أي عمل." in html
    assert "أحسنت: الأمان أولاً" not in html  # another option's feedback


def test_a_right_answer_shows_its_own_feedback_and_no_hints(exam, trainee, client):
    attempt = start(trainee, exam)
    answer(attempt, trainee, "فصل التيار")
    services.attempt_submit(attempt_id=attempt.pk, user_id=trainee.pk)
    client.force_login(trainee)
    html = client.get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    ).content.decode()
    assert "أحسنت: الأمان أولاً" in html and "إجابة كاملة" in html
    assert "فكر في الكهرباء" not in html


def test_another_trainee_cannot_read_the_review(exam, trainee, client, make_user):
    attempt = start(trainee, exam)
    services.attempt_submit(attempt_id=attempt.pk, user_id=trainee.pk)
    client.force_login(make_user("trainee"))
    response = client.get(reverse("assessments:attempt_result", args=[attempt.pk]))
    assert response.status_code == 404


def test_the_api_result_carries_the_review(exam, trainee):
    from rest_framework.test import APIClient

    attempt = start(trainee, exam)
    answer(attempt, trainee, "تشغيل المروحة")
    api = APIClient()
    api.force_authenticate(trainee)
    body = api.post(f"/api/v1/assessments/attempts/{attempt.pk}/submit/").json()
    [item] = body["review"]
    assert item["response_text"] == "تشغيل المروحة"
    assert item["feedback"] == ["المروحة لا تحمي منك", "راجع درس السلامة"]
    assert item["hints"] == ["فكر في الكهرباء"]
    assert item["explanation"] == "افصل التيار قبل أي عمل."


def test_an_open_attempt_has_no_review_in_the_api(exam, trainee):
    from rest_framework.test import APIClient

    attempt = start(trainee, exam)
    api = APIClient()
    api.force_authenticate(trainee)
    body = api.get(f"/api/v1/assessments/attempts/{attempt.pk}/").json()
    assert "review" not in body and "feedback" not in str(body)
