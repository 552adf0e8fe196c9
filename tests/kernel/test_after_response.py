"""Work after the answer: run when the response is closed (sent), never before, and
a failure there is logged, not raised."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse

from lms.kernel.after_response import after_response

# close() sends request_finished, whose receivers close database connections
pytestmark = pytest.mark.django_db


def test_the_work_runs_when_the_response_has_been_sent_and_not_before():
    done = []
    response = HttpResponse("answer")
    after_response(response, lambda: done.append("sms"))
    assert done == []
    response.close()  # what the WSGI/ASGI handler does after the last byte
    assert done == ["sms"]


def test_a_failure_after_the_answer_is_logged_not_raised(caplog):
    response = HttpResponse("answer")

    def broken():
        raise RuntimeError("gateway down")

    after_response(response, broken)
    with caplog.at_level(logging.ERROR, logger="lms.kernel"):
        response.close()
    assert "work after the response failed" in caplog.text
