"""The exam API answers what its OpenAPI schema says (issue 18: a submitted attempt
answered another shape than declared; an answer `seq` of 2**63 was a 500)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.api_contract import call, conforms
from tests.api_contract import one_connection as one_connection
from tests.assessments.conftest import answer_all_correctly, start

pytestmark = pytest.mark.usefixtures("one_connection")

ATTEMPT = "/api/v1/assessments/attempts/{attempt_id}/"
ANSWER = "/api/v1/assessments/attempts/{attempt_id}/answers/{position}/"
SUBMIT = "/api/v1/assessments/attempts/{attempt_id}/submit/"


@pytest.fixture
def attempt(blueprint, eligible_trainee):
    return start(eligible_trainee, blueprint)


@pytest.fixture
def token(eligible_trainee):
    return Token.objects.create(user=eligible_trainee).key


def test_start_open_and_submitted_attempts_answer_their_documented_shapes(
    attempt, token, blueprint
):
    url = f"/api/v1/assessments/attempts/{attempt.pk}/"
    resumed = call(
        "POST", f"/api/v1/assessments/exams/{blueprint.slug}/start/", token=token
    )
    assert resumed.status_code == 200
    conforms(resumed, "/api/v1/assessments/exams/{slug}/start/", "post")
    open_one = call("GET", url, token=token)
    assert "items" in open_one.get_json()
    conforms(open_one, ATTEMPT, "get")
    answer_all_correctly(attempt, attempt.user)
    submitted = call("POST", url + "submit/", token=token)
    assert submitted.status_code == 200
    conforms(submitted, SUBMIT, "post")
    # the same address once submitted: the result, not the open attempt
    result = call("GET", url, token=token)
    assert "topics" in result.get_json() and "items" not in result.get_json()
    conforms(result, ATTEMPT, "get")
    late = call(
        "PUT", url + "answers/1/", token=token, json={"response": None, "seq": 9}
    )
    assert late.status_code == 409
    conforms(late, ANSWER, "put")
    again = call("POST", url + "submit/", token=token)
    conforms(again, SUBMIT, "post")


@pytest.mark.parametrize("seq", [2**63, 2**64 + 5, 10**30])
def test_a_seq_beyond_64_bits_is_refused_not_a_server_error(attempt, token, seq):
    url = f"/api/v1/assessments/attempts/{attempt.pk}/answers/1/"
    response = call("PUT", url, token=token, json={"response": None, "seq": seq})
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid"
    assert "seq" in response.get_json()["fields"]
    conforms(response, ANSWER, "put")


def test_the_largest_seq_is_saved(attempt, token):
    url = f"/api/v1/assessments/attempts/{attempt.pk}/answers/1/"
    response = call("PUT", url, token=token, json={"response": None, "seq": 2**63 - 1})
    assert response.status_code == 200, response.get_json()
    conforms(response, ANSWER, "put")
