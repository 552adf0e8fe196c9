"""The exam pages and API: resume after reconnect, idempotent saves, no answer key
in any page or response of an open attempt, and the roles that must be refused."""

import json

import pytest
from django.urls import reverse

from assessments.question_types import get_kind
from tests.assessments.conftest import answer_all_correctly, start


@pytest.fixture
def attempt(blueprint, eligible_trainee):
    return start(eligible_trainee, blueprint)


@pytest.fixture
def trainee_client(client, eligible_trainee):
    client.force_login(eligible_trainee)
    return client


def api(attempt, suffix=""):
    return f"/api/v1/assessments/attempts/{attempt.pk}/{suffix}"


def secrets_of(attempt) -> list[str]:
    """Strings that would give an answer away if they reached the browser."""
    found = []
    for item in attempt.items.all():
        data, kind = item.snapshot["data"], item.snapshot["kind"]
        if kind == "short_answer":
            found += [a["text"] for a in data["answers"]]
        if kind == "numeric":
            found += ['"value"', "tolerance"]
        if kind in ("single_choice", "multiple_response"):
            found += ['"fraction"', "fraction"]
        if kind == "true_false":
            found += ['"answer"']
        if kind == "ordering":
            found.append(json.dumps([i["id"] for i in data["items"]]))
        if kind == "matching":
            found += ['"pairs"', '"answer"']
    return found


def test_no_answer_key_in_any_page_or_api_response_of_an_open_attempt(
    attempt, trainee_client
):
    bodies = [trainee_client.get(api(attempt)).content.decode()]
    for item in attempt.items.all():
        url = reverse("assessments:attempt_question", args=[attempt.pk, item.position])
        bodies.append(trainee_client.get(url).content.decode())
    bodies.append(
        trainee_client.get(
            reverse("assessments:attempt_review", args=[attempt.pk])
        ).content.decode()
    )
    start = trainee_client.post(
        f"/api/v1/assessments/exams/{attempt.blueprint.slug}/start/"
    )
    bodies.append(start.content.decode())
    explanation_free = "explanation"
    for body in bodies:
        for secret in secrets_of(attempt):
            assert secret not in body, secret
        assert explanation_free not in body


def test_the_ordering_question_is_never_shown_in_the_right_order(
    attempt, trainee_client
):
    item = attempt.items.get(question__kind="ordering")
    data = trainee_client.get(api(attempt)).json()
    shown = next(i for i in data["items"] if i["position"] == item.position)
    right = [s["id"] for s in item.snapshot["data"]["items"]]
    assert [s["id"] for s in shown["choices"]["items"]] != right


def test_resume_after_reconnect_returns_every_saved_answer(
    attempt, trainee_client, client
):
    item = attempt.items.get(question__kind="short_answer")
    response = trainee_client.put(
        api(attempt, f"answers/{item.position}/"),
        {"response": "الضاغط", "seq": 7},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["applied"] is True
    client.logout()
    client.force_login(attempt.user)  # a new session, as from another phone
    state = client.get(api(attempt)).json()
    saved = next(i for i in state["items"] if i["position"] == item.position)
    assert saved["response"] == "الضاغط" and saved["seq"] == 7
    assert 0 < state["remaining_s"] <= 600
    page = client.get(
        reverse("assessments:attempt_question", args=[attempt.pk, item.position])
    )
    assert 'value="الضاغط"' in page.content.decode()


def test_double_submitted_answer_changes_nothing_through_the_api(
    attempt, trainee_client
):
    item = attempt.items.get(question__kind="short_answer")
    url = api(attempt, f"answers/{item.position}/")
    body = {"response": "الضاغط", "seq": 3}
    first = trainee_client.put(url, body, content_type="application/json").json()
    again = trainee_client.put(url, body, content_type="application/json").json()
    assert first["applied"] is True and again["applied"] is False
    stale = trainee_client.put(
        url, {"response": "خطأ", "seq": 2}, content_type="application/json"
    ).json()
    assert stale["applied"] is False
    item.refresh_from_db()
    assert item.response == "الضاغط"


def test_api_refuses_an_answer_of_the_wrong_shape(attempt, trainee_client):
    item = attempt.items.get(question__kind="single_choice")
    response = trainee_client.put(
        api(attempt, f"answers/{item.position}/"),
        {"response": "invented", "seq": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_answer"
    assert "Choose one of the options" in body["message"]


def test_api_refuses_an_answer_without_seq(attempt, trainee_client):
    response = trainee_client.put(
        api(attempt, "answers/1/"), {"response": None}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "seq" in body["fields"]


def test_api_refuses_answers_after_submission(attempt, trainee_client):
    trainee_client.post(api(attempt, "submit/"))
    response = trainee_client.put(
        api(attempt, "answers/1/"),
        {"response": None, "seq": 9},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "attempt_submitted"


def test_posting_the_question_form_saves_and_moves_on(attempt, trainee_client):
    item = attempt.items.get(question__kind="ordering")
    right = [i["id"] for i in item.snapshot["data"]["items"]]
    form = {f"o-{step}": str(n) for n, step in enumerate(right, start=1)}
    url = reverse("assessments:attempt_question", args=[attempt.pk, item.position])
    response = trainee_client.post(url, {**form, "seq": "11"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.response == right


def test_eastern_digits_work_in_the_ordering_form(attempt, trainee_client):
    item = attempt.items.get(question__kind="ordering")
    right = [i["id"] for i in item.snapshot["data"]["items"]]
    form = {f"o-{step}": "٠١٢٣٤٥٦٧٨٩"[n] for n, step in enumerate(right, start=1)}
    url = reverse("assessments:attempt_question", args=[attempt.pk, item.position])
    trainee_client.post(url, {**form, "seq": "11"})
    item.refresh_from_db()
    assert item.response == right


def test_submit_through_the_api_returns_the_result_by_topic(attempt, trainee_client):
    answer_all_correctly(attempt, attempt.user)
    result = trainee_client.post(api(attempt, "submit/")).json()
    assert result["passed"] is True and result["percent"] == "100.00"
    assert {t["topic"] for t in result["topics"]} == {"السلامة", "دورة التبريد"}
    page = trainee_client.get(reverse("assessments:attempt_result", args=[attempt.pk]))
    assert "السلامة" in page.content.decode()


def test_starting_from_the_exam_page(blueprint, trainee_client):
    response = trainee_client.post(
        reverse("assessments:exam_detail", args=[blueprint.slug])
    )
    assert response.status_code == 302 and "/q/1/" in response["Location"]


def test_an_ineligible_trainee_sees_why(blueprint, client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("assessments:exam_detail", args=[blueprint.slug]))
    assert (
        "Complete the course" in page.content.decode()
        or "أكمل" in page.content.decode()
    )
    started = client.post(f"/api/v1/assessments/exams/{blueprint.slug}/start/")
    assert started.status_code == 409
    body = started.json()
    assert body["code"] == "course_not_completed"
    assert "Complete the course" in body["message"] and body["fields"] == {}


def test_starting_through_the_api_creates_once_then_resumes(blueprint, trainee_client):
    url = f"/api/v1/assessments/exams/{blueprint.slug}/start/"
    first = trainee_client.post(url)
    again = trainee_client.post(url)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["items"] == again.json()["items"]


def test_an_exam_that_does_not_exist_answers_the_error_body(trainee_client):
    response = trainee_client.post("/api/v1/assessments/exams/no-such-exam/start/")
    assert response.status_code == 404
    assert response.json()["code"] == "exam_not_found"


def test_another_trainee_cannot_see_my_attempt(attempt, client, make_user):
    client.force_login(make_user("trainee"))
    refused = client.get(api(attempt))
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    url = reverse("assessments:attempt_question", args=[attempt.pk, 1])
    assert client.get(url).status_code == 404
    answer = client.put(
        api(attempt, "answers/1/"),
        {"response": None, "seq": 1},
        content_type="application/json",
    )
    assert answer.status_code == 404


@pytest.mark.parametrize("role", ["instructor", "assessor", "content_editor"])
def test_non_trainees_are_refused_the_exam(attempt, client, make_user, role):
    client.force_login(make_user(role))
    refused = client.get(api(attempt))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert client.get(reverse("assessments:exam_list")).status_code == 403


def test_anonymous_visitors_are_refused(attempt, client):
    assert client.get(api(attempt)).status_code in (401, 403)
    response = client.get(reverse("assessments:exam_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_exam_list_shows_resume_for_an_open_attempt(attempt, trainee_client):
    page = trainee_client.get(reverse("assessments:exam_list")).content.decode()
    assert reverse("assessments:attempt_question", args=[attempt.pk, 1]) in page


def test_an_overdue_attempt_is_submitted_when_the_trainee_comes_back(
    attempt, trainee_client
):
    import datetime as dt

    from django.utils import timezone

    from assessments.models import Attempt

    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(minutes=1)
    )
    state = trainee_client.get(api(attempt)).json()
    assert state["status"] == "graded"
    assert "items" not in state


def test_correct_responses_reach_full_marks_for_each_kind(attempt):
    for item in attempt.items.all():
        kind = get_kind(item.snapshot["kind"])
        assert (
            kind.grade(
                item.snapshot["data"], kind.correct_response(item.snapshot["data"])
            )
            == 1.0
        )


def test_the_exam_page_speaks_arabic_by_default(attempt, trainee_client, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "ar"
    with translation.override("ar"):
        url = reverse("assessments:attempt_question", args=[attempt.pk, 1])
        html = trainee_client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html and "الوقت المتبقي" in html


def test_the_dashboard_offers_to_resume_an_open_attempt(attempt, trainee_client):
    html = trainee_client.get(reverse("home:dashboard")).content.decode()
    assert reverse("assessments:attempt_question", args=[attempt.pk, 1]) in html


def test_a_stem_picture_is_described_to_screen_readers(attempt, trainee_client):
    item = attempt.items.get(position=1)
    item.snapshot = {
        **item.snapshot,
        "stem_images": ["assessments/images/gauge.png", "assessments/images/b.png"],
        "stem_image_alts": ["مانومتر الضغط المنخفض"],  # the second has none
    }
    item.save(update_fields=["snapshot"])
    url = reverse("assessments:attempt_question", args=[attempt.pk, 1])
    page = trainee_client.get(url).content.decode()
    assert 'gauge.png" alt="مانومتر الضغط المنخفض"' in page
    assert 'b.png" alt=""' in page
    body = trainee_client.get(api(attempt)).json()
    assert body["items"][0]["stem_image_alts"] == ["مانومتر الضغط المنخفض", ""]
