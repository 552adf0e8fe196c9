"""WebSockets while the channel layer's Redis is down: closed cleanly, not crashed.

A consumer needs the channel layer to join its group; without Redis the call raises
and the server would log a traceback and drop the socket mid-handshake. This ASGI
wrapper turns that into a close with 1013 ("try again later", RFC 6455): a refused
handshake if it had not been accepted yet. Clients reconnect with back-off and
re-sync from their snapshot (virtual_classes/README.md). HTTP never passes here.

channels_redis's subscriber task logs every failed read with a traceback, once a
second for as long as Redis is down; those records become the breaker's one warning.
"""

from __future__ import annotations

import logging
from typing import Any

from lms.kernel.redis_outage import OUTAGE_ERRORS, breaker_for

TRY_AGAIN_LATER = 1013
LAYER_LOGGERS = ("channels_redis.pubsub", "channels_redis.core")


class _OutageTracebacks(logging.Filter):
    """Drops a record whose exception is a Redis outage, reporting it to the
    channel layer's breaker instead (one warning per outage, no traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, OUTAGE_ERRORS):
            breaker_for("channel layer").failed(exc)
            return False
        return True


_FILTER = _OutageTracebacks()


def quiet_layer_outages() -> None:
    """Install the filter on channels_redis's loggers (idempotent)."""
    for name in LAYER_LOGGERS:
        layer_logger = logging.getLogger(name)
        if _FILTER not in layer_logger.filters:
            layer_logger.addFilter(_FILTER)


class ChannelLayerOutageGuard:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._breaker = breaker_for("channel layer")
        quiet_layer_outages()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        closed = False

        async def tracking_send(message: dict) -> None:
            nonlocal closed
            await send(message)
            if message["type"] == "websocket.close":
                closed = True

        try:
            await self.app(scope, receive, tracking_send)
        except OUTAGE_ERRORS as exc:
            self._breaker.failed(exc)  # logs once per outage, without a traceback
            if not closed:
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
