"""A surge waits its turn at the web node (lms/asgi.py): no more requests run in
Django at once than REQUESTS_IN_FLIGHT_MAX, so none starves for a database
connection; the rest are answered when their turn comes."""

from __future__ import annotations

import asyncio
import threading
import time

from django.http import HttpResponse

from lms.asgi import SyncStackASGIHandler
from tests.lms.conftest import asgi_get, http_scope


async def _status(handler, path: str) -> int:
    return (await asgi_get(handler, http_scope(path)))[0]["status"]


def _peak_in_flight(limit: int, paths: list[str]) -> tuple[list[int], int]:
    """Run the requests at once through a handler whose view takes 200 ms."""
    from django.conf import settings

    settings.REQUESTS_IN_FLIGHT_MAX = limit
    handler = SyncStackASGIHandler()
    lock, running, peak = threading.Lock(), [0], [0]

    def view(request):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return HttpResponse("ok")

    handler.get_response = view

    async def surge():
        return await asyncio.gather(*(_status(handler, p) for p in paths))

    return asyncio.run(surge()), peak[0]


def test_requests_beyond_the_limit_wait_and_are_all_answered(settings):
    statuses, peak = _peak_in_flight(2, ["/courses/"] * 8)
    assert statuses == [200] * 8
    assert peak <= 2


def test_without_a_limit_every_request_runs_at_once(settings):
    statuses, peak = _peak_in_flight(0, ["/courses/"] * 8)
    assert statuses == [200] * 8
    assert peak > 2


def test_health_checks_are_not_queued_behind_a_surge(settings):
    _statuses, peak = _peak_in_flight(1, ["/healthz/web"] * 4)
    assert peak > 1
