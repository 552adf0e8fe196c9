"""The answer save under load: few queries, newest answer wins, never acknowledged and
then lost to a submission, the same refusals with an API token as with a session."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments import services
from assessments.models import Attempt, AttemptStatus
from lms.kernel.errors import Conflict
from tests.assessments.conftest import start
from tests.conftest import requires_postgres


@pytest.fixture
def attempt(blueprint, eligible_trainee):
    return start(eligible_trainee, blueprint)


@pytest.fixture
def short_answer(attempt):
    return attempt.items.get(question__kind="short_answer")


def answer_url(attempt, position) -> str:
    return f"/api/v1/assessments/attempts/{attempt.pk}/answers/{position}/"


def token_client(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def put(client, url, response, seq):
    return client.put(
        url, {"response": response, "seq": seq}, content_type="application/json"
    )


def test_a_token_save_takes_three_queries_auth_read_and_write(
    attempt, short_answer, client, django_assert_max_num_queries
):
    client = token_client(client, attempt.user)
    url = answer_url(attempt, short_answer.position)
    put(client, url, "المكثف", 1)  # warm: content types, translations
    with django_assert_max_num_queries(3):
        response = put(client, url, "الضاغط", 2)
    assert response.status_code == 200 and response.json()["applied"] is True
    short_answer.refresh_from_db()
    assert short_answer.response == "الضاغط" and short_answer.response_seq == 2


def test_a_session_save_reads_the_roles_with_the_user(
    attempt, short_answer, client, django_assert_max_num_queries
):
    client.force_login(attempt.user)
    url = answer_url(attempt, short_answer.position)
    put(client, url, "المكثف", 1)
    # session (none when sessions live in Redis), user with roles, read, write
    with django_assert_max_num_queries(4):
        response = put(client, url, "الضاغط", 2)
    assert response.status_code == 200 and response.json()["applied"] is True


def test_an_out_of_order_save_does_not_overwrite_the_newer_answer(
    attempt, short_answer, client
):
    client = token_client(client, attempt.user)
    url = answer_url(attempt, short_answer.position)
    newer = put(client, url, "الضاغط", 20)
    older = put(client, url, "المكثف", 10)  # sent first, arrived last
    assert newer.json() == {
        "position": short_answer.position,
        "seq": 20,
        "applied": True,
    }
    assert older.json() == {
        "position": short_answer.position,
        "seq": 20,
        "applied": False,
    }
    short_answer.refresh_from_db()
    assert short_answer.response == "الضاغط" and short_answer.response_seq == 20


def test_a_retry_after_submission_is_refused_not_reported_as_saved(
    attempt, short_answer, client
):
    client = token_client(client, attempt.user)
    url = answer_url(attempt, short_answer.position)
    assert put(client, url, "الضاغط", 5).status_code == 200
    services.attempt_submit(attempt_id=attempt.pk, user_id=attempt.user.pk)
    retry = put(client, url, "الضاغط", 5)
    assert retry.status_code == 409
    body = retry.json()
    assert body["code"] == "attempt_submitted"
    assert "answers are closed" in body["message"]


def test_the_write_refuses_an_answer_once_the_attempt_is_closed(attempt, short_answer):
    """The write checks the attempt again itself: a save that read an open attempt
    and reaches the write after the submission changes nothing."""
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.GRADED)
    from assessments.services.answers import answer_store

    stored = answer_store(
        attempt_id=attempt.pk,
        position=short_answer.position,
        response="الضاغط",
        seq=9,
        now=timezone.now(),
    )
    short_answer.refresh_from_db()
    assert stored is False and short_answer.response is None


def test_a_save_for_a_question_the_exam_does_not_have_is_not_found(attempt, client):
    client = token_client(client, attempt.user)
    response = put(client, answer_url(attempt, 999), "الضاغط", 1)
    assert response.status_code == 404
    assert response.json()["code"] == "question_not_found"


@pytest.mark.parametrize("role", ["instructor", "assessor", "ministry_staff"])
def test_other_roles_are_refused_the_save_with_a_token(
    attempt, short_answer, client, make_user, role
):
    client = token_client(client, make_user(role))
    response = put(client, answer_url(attempt, short_answer.position), "الضاغط", 1)
    assert response.status_code == 403
    short_answer.refresh_from_db()
    assert short_answer.response_seq == 0


def test_another_trainee_with_a_token_cannot_save_into_my_attempt(
    attempt, short_answer, client, make_user
):
    client = token_client(client, make_user("trainee"))
    response = put(client, answer_url(attempt, short_answer.position), "الضاغط", 1)
    assert response.status_code == 404
    short_answer.refresh_from_db()
    assert short_answer.response_seq == 0


def test_a_deactivated_trainee_token_is_refused(attempt, short_answer, client):
    client = token_client(client, attempt.user)
    type(attempt.user).objects.filter(pk=attempt.user.pk).update(is_active=False)
    response = put(client, answer_url(attempt, short_answer.position), "الضاغط", 1)
    # 403, not 401: session authentication comes first and sends no challenge
    assert response.status_code == 403
    assert response.json()["message"] == "User inactive or deleted."
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_token_is_refused(attempt, short_answer, client):
    client.defaults["HTTP_AUTHORIZATION"] = "Token " + "0" * 40
    response = put(client, answer_url(attempt, short_answer.position), "الضاغط", 1)
    assert response.status_code == 403
    assert response.json()["message"] == "Invalid token."


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_racing_the_submission_waits_for_it_and_is_refused(
    blueprint, eligible_trainee
):
    """The submission holds the attempt's row lock while it grades; a save that
    already read the attempt as open waits for that lock, sees the attempt closed
    and is refused: it is never acknowledged and then missing from the grade."""
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get(question__kind="short_answer")
    locked, outcome = threading.Event(), {}

    def submission():
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                locked.set()
                outcome["save_waited"] = _another_backend_waits_for_a_lock()
                services.attempt_submit(attempt_id=attempt.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=submission)
    thread.start()
    assert locked.wait(10)
    with pytest.raises(Conflict) as refused:
        services.attempt_answer_save(
            attempt_id=attempt.pk,
            user_id=eligible_trainee.pk,
            position=item.position,
            response="الضاغط",
            seq=1,
        )
    thread.join(10)
    assert outcome["save_waited"], "the save did not wait for the submission's lock"
    assert refused.value.code == "attempt_submitted"
    item.refresh_from_db()
    attempt.refresh_from_db()
    assert item.response is None and attempt.status != AttemptStatus.IN_PROGRESS


def _another_backend_waits_for_a_lock(timeout_s: float = 10) -> bool:
    """True once another PostgreSQL backend waits for a lock we hold."""
    with connection.cursor() as cursor:
        for _ in range(int(timeout_s / 0.05)):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
