"""The ASGI handler (lms/asgi.py) runs a request's sync work in one thread hand-off:
request_started, the middleware chain with the view and, for a plain response,
close() (request_finished: the database connection goes back) before it is sent.
Streaming responses and responses with work after them are sent first, then closed."""

from __future__ import annotations

import asyncio

import pytest
from django.core import signals
from django.db import connection, connections
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

import lms.urls
from lms.asgi import SyncStackASGIHandler
from lms.kernel.after_response import after_response
from tests.lms.conftest import asgi_get, http_scope

EVENTS: list[str] = []
SEEN: dict[str, object] = {}


def plain(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    SEEN["connection"] = connections["default"]
    EVENTS.append("view")
    return HttpResponse("ok")


def streaming(request):
    async def parts():
        for part in (b"one ", b"two ", b"three"):
            EVENTS.append(f"yield {part.decode().strip()}")
            yield part

    return StreamingHttpResponse(parts())


def endless(request):
    async def parts():
        try:
            while True:
                await asyncio.sleep(0.005)
                yield b"tick "
        finally:
            EVENTS.append("stream closed")

    return StreamingHttpResponse(parts())


def later(request):
    response = HttpResponse("sent")
    after_response(response, lambda: EVENTS.append("after the response"))
    return response


def broken(request):
    raise RuntimeError("the view failed")


urlpatterns = [
    path("hop/plain/", plain),
    path("hop/streaming/", streaming),
    path("hop/endless/", endless),
    path("hop/later/", later),
    path("hop/broken/", broken),
    *lms.urls.urlpatterns,
]

# The request's thread opens a connection of its own: the middleware reads the database.
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def events():
    """EVENTS in order: signals, the view, and the messages sent to the client."""
    EVENTS.clear()
    SEEN.clear()

    def started(**kwargs):
        EVENTS.append("request_started")

    def finished(**kwargs):
        EVENTS.append("request_finished")

    def failed(**kwargs):
        EVENTS.append("got_request_exception")

    signals.request_started.connect(started, weak=False)
    signals.request_finished.connect(finished, weak=False)
    signals.got_request_exception.connect(failed, weak=False)
    yield EVENTS
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)
    signals.got_request_exception.disconnect(failed)


def _request(url: str, leave_after: int | None = None) -> list[dict]:
    """The messages sent for `url`; the client leaves after `leave_after` parts."""
    sent: list[dict] = []
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]
    left = asyncio.Event()

    async def receive():
        if incoming:
            return incoming.pop()
        if leave_after is None:
            await asyncio.Event().wait()  # the client stays connected
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        kind = message["type"].rsplit(".", 1)[1]
        if kind == "start":
            SEEN["open at start"] = SEEN.get("connection") and (
                SEEN["connection"].connection is not None
            )
        EVENTS.append(f"sent {kind}")
        if leave_after is not None and len(sent) > leave_after:
            left.set()

    asyncio.run(SyncStackASGIHandler()(http_scope(url), receive, send))
    return sent


def test_a_plain_request_fires_each_signal_once_in_one_hand_off(hand_offs):
    sent = _request("/hop/plain/")
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"ok"
    assert EVENTS == [
        "request_started",
        "view",
        "request_finished",  # closed before it is sent
        "sent start",
        "sent body",
    ]
    assert hand_offs == ["SyncStackASGIHandler.respond"]


def test_the_database_connection_is_closed_before_the_answer_is_sent():
    _request("/hop/plain/")
    request_connection = SEEN["connection"]
    assert request_connection is not connections["default"]  # the request's thread
    assert SEEN["open at start"] is False
    assert request_connection.connection is None


def test_a_streaming_response_streams_and_is_closed_after_the_last_part(hand_offs):
    sent = _request("/hop/streaming/")
    assert sent[0]["status"] == 200
    bodies = [m["body"] for m in sent[1:] if m.get("body")]
    assert bodies == [b"one ", b"two ", b"three"]
    assert sent[-1] == {"type": "http.response.body"}  # the end of the stream
    assert EVENTS == [
        "request_started",
        "sent start",
        "yield one",
        "sent body",
        "yield two",
        "sent body",
        "yield three",
        "sent body",
        "sent body",
        "request_finished",
    ]
    assert hand_offs == [
        "SyncStackASGIHandler.respond",
        "HttpResponseBase.close",
    ]


def test_a_stream_stops_and_is_closed_when_the_client_leaves():
    sent = _request("/hop/endless/", leave_after=3)
    assert sent[0]["status"] == 200
    assert len(sent) < 10  # stopped soon after the client left
    assert EVENTS.count("request_finished") == 1
    assert EVENTS.index("stream closed") < EVENTS.index("request_finished")


def test_work_after_the_response_runs_once_it_has_been_sent():
    sent = _request("/hop/later/")
    assert sent[1]["body"] == b"sent"
    assert EVENTS == [
        "request_started",
        "sent start",
        "sent body",
        "after the response",
        "request_finished",
    ]


def test_an_exception_in_the_view_gives_the_500_page_and_still_finishes():
    sent = _request("/hop/broken/")
    assert sent[0]["status"] == 500
    assert b"Server Error (500)" in sent[1]["body"]
    assert EVENTS == [
        "request_started",
        "got_request_exception",
        "request_finished",
        "sent start",
        "sent body",
    ]


def test_a_request_django_cannot_read_is_answered_400_and_finished():
    scope = {**http_scope("/hop/plain/"), "query_string": b"q=\xff"}  # not UTF-8
    sent = asyncio.run(asgi_get(SyncStackASGIHandler(), scope))
    assert sent[0]["status"] == 400
    assert EVENTS == ["request_started", "request_finished"]  # no view
