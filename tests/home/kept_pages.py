"""Reading the dashboard as a trainee's browser does, and telling whether the answer
came from the kept entry (lms.kernel.personal_pages): a kept answer touches no
database at all."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(client) -> tuple[str, int]:
    """(the page, the queries it cost past the kernel's generation re-read)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home:dashboard"), HTTP_ACCEPT_ENCODING="")
    assert response.status_code == 200
    queries = [q for q in ctx.captured_queries if "cachegeneration" not in q["sql"]]
    return response.content.decode(), len(queries)


def kept(client) -> str:
    """Two reads (the first sets the CSRF cookie, the second is kept); the third
    must be answered from the entry."""
    dashboard(client)
    dashboard(client)
    page, queries = dashboard(client)
    assert queries == 0, "the dashboard was not kept"
    return page


def fresh(client) -> str:
    """The next read, which must be rendered again (something it shows moved)."""
    page, queries = dashboard(client)
    assert queries > 0, "the kept dashboard was answered after a change"
    return page


class Clock:
    """Moves the time both the personal pages and the selectors read."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        real_time, real_now = time.time, dt.datetime.now
        from django.utils import timezone

        from lms.kernel import personal_pages

        class _Time:
            def __getattr__(_self, name):
                return getattr(time, name)

            def time(_self):
                return real_time() + self.offset

        monkeypatch.setattr(personal_pages, "time", _Time())
        monkeypatch.setattr(
            timezone,
            "now",
            lambda: real_now(dt.UTC) + dt.timedelta(seconds=self.offset),
        )

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta).total_seconds()
