"""The ASGI entry point runs Django's signals, middleware and view in one thread
hand-off (tests/lms/test_asgi_single_hop.py: what else it keeps)."""

from __future__ import annotations

import asyncio

from lms.asgi import application
from tests.lms.conftest import asgi_get, http_scope


def _get(path: str) -> tuple[dict, list[dict]]:
    sent = asyncio.run(asgi_get(application, http_scope(path)))
    return sent[0], sent[1:]


def test_an_api_request_through_asgi_passes_every_middleware_in_one_hand_off(
    hand_offs,
):
    start, body = _get("/api/v1/assessments/attempts/1/")
    headers = {name.lower(): value for name, value in start["headers"]}
    assert start["status"] == 403  # anonymous: refused by the view's permission
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"  # the middleware ran
    assert headers[b"content-language"] == b"ar"
    # request_started, the middleware chain with the view and response.close together
    assert hand_offs == ["SyncStackASGIHandler.respond"], hand_offs


def test_request_threads_are_reused_by_later_requests():
    from lms.asgi import django_asgi_app

    start, _body = _get("/api/v1/assessments/attempts/1/")
    assert start["status"] == 403
    idle = list(django_asgi_app.idle_threads)
    assert idle, "the request's thread is kept for the next one"
    thread = idle[-1]
    _get("/api/v1/assessments/attempts/1/")
    assert django_asgi_app.idle_threads[-1] is thread
    assert len(django_asgi_app.idle_threads) == len(idle)
