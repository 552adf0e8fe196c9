"""Work done right after an answer has gone out: the time the answer takes then says
nothing about that work (an SMS sent or not, a gateway slow or quick).

Django closes a response once the server has sent it, under WSGI and ASGI alike (the
ASGI handler after the last body message; the test client too), and runs the
response's closers then: `after_response` adds one. An error is logged, never raised:
the person already has their answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpResponseBase

logger = logging.getLogger("lms.kernel")


def after_response(response: HttpResponseBase, work: Callable[[], None]) -> None:
    """Run `work` once `response` has been sent."""

    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - the answer is out; log, never raise
            logger.exception("work after the response failed")

    # Django's own hook for what a response must do when it is closed (files it
    # streams): HttpResponseBase.close() calls each, then sends request_finished.
    response._resource_closers.append(run)  # type: ignore[attr-defined]
