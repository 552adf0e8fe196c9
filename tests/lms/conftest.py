"""What the ASGI tests share: a request's scope, and a count of the hand-offs to the
request's thread."""

from __future__ import annotations

import asgiref.sync
import pytest


def http_scope(path: str) -> dict:
    """An ASGI HTTP scope for a plain GET of `path` on testserver."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


@pytest.fixture
def hand_offs(monkeypatch):
    """Counts sync_to_async calls (each a hand-off to the request's thread)."""
    calls = []
    original = asgiref.sync.SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        calls.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(asgiref.sync.SyncToAsync, "__call__", counting)
    return calls


async def asgi_get(application, scope: dict) -> list[dict]:
    """The messages `application` sends for a bodiless request whose client stays
    connected."""
    import asyncio

    sent: list[dict] = []
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if incoming:
            return incoming.pop()
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    await application(scope, receive, send)
    return sent
