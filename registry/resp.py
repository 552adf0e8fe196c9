"""A minimal Redis client for the verification fast path (registry/verify_asgi.py).

redis-py's asyncio client spent ~250 µs of CPU per call here, more than the rest of
the request. This one keeps one connection per event loop and pipelines every caller's
commands over it (Redis answers in order, so a queue of futures matches replies to
callers); it speaks RESP2 and nothing else: no TLS, no unix sockets, no cluster (the
fast path uses redis-py for those URLs).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

INCOMPLETE = object()


class RespError(Exception):
    """An error reply from Redis (e.g. NOSCRIPT)."""


class RespConnectionError(ConnectionError):
    """The connection to Redis closed or could not be made."""


def pack(*args: bytes | str | int) -> bytes:
    """One command in RESP: an array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def parse(buffer: bytes | bytearray, pos: int = 0) -> Any:
    """(reply, next position), or INCOMPLETE when the buffer holds less than a reply.
    Errors come back as RespError instances (raised by the caller's future)."""
    end = buffer.find(b"\r\n", pos)
    if end < 0:
        return INCOMPLETE
    kind, line = buffer[pos], bytes(buffer[pos + 1 : end])
    if kind == 0x2B:  # + simple string
        return line, end + 2
    if kind == 0x2D:  # - error
        return RespError(line.decode(errors="replace")), end + 2
    if kind == 0x3A:  # : integer
        return int(line), end + 2
    if kind == 0x24:  # $ bulk string
        size = int(line)
        if size < 0:
            return None, end + 2
        if len(buffer) < end + 4 + size:
            return INCOMPLETE
        return bytes(buffer[end + 2 : end + 2 + size]), end + 4 + size
    if kind == 0x2A:  # * array
        count = int(line)
        if count < 0:
            return None, end + 2
        items, position = [], end + 2
        for _ in range(count):
            parsed = parse(buffer, position)
            if parsed is INCOMPLETE:
                return INCOMPLETE
            items.append(parsed[0])
            position = parsed[1]
        return items, position
    raise RespConnectionError(f"Unexpected reply type {kind!r} from Redis")


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiters: deque[asyncio.Future] = deque()
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def send(self, command: bytes) -> asyncio.Future:
        if self.closed or self.transport is None:
            raise RespConnectionError("Redis connection closed")
        future = asyncio.get_running_loop().create_future()
        self.waiters.append(future)
        self.transport.write(command)
        return future

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        position = 0
        while self.waiters:
            try:
                parsed = parse(self.buffer, position)
            except (RespConnectionError, ValueError) as exc:
                self._fail(RespConnectionError(str(exc)))
                return
            if parsed is INCOMPLETE:
                break
            reply, position = parsed
            future = self.waiters.popleft()
            if future.done():  # its caller gave up (timeout, disconnect)
                continue
            if isinstance(reply, RespError):
                future.set_exception(reply)
            else:
                future.set_result(reply)
        del self.buffer[:position]

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(RespConnectionError("Redis connection lost"))

    def _fail(self, error: Exception) -> None:
        self.closed = True
        while self.waiters:
            future = self.waiters.popleft()
            if not future.done():
                future.set_exception(error)
        if self.transport is not None:
            self.transport.close()


class RespClient:
    """Commands to one Redis server over one pipelined connection (per event loop)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 2.0,
    ) -> None:
        self.host, self.port, self.db = host, port, db
        self.username, self.password = username, password
        self.timeout_s = timeout_s
        self._protocol: _Protocol | None = None
        self._lock = asyncio.Lock()

    async def call(self, *args: bytes | str | int) -> Any:
        protocol = self._protocol
        if protocol is None or protocol.closed:
            protocol = await self._connect()
        future = protocol.send(pack(*args))
        try:
            async with asyncio.timeout(self.timeout_s):
                return await future
        except TimeoutError as exc:
            raise RespConnectionError("Redis did not answer in time") from exc

    async def _connect(self) -> _Protocol:
        async with self._lock:
            if self._protocol is not None and not self._protocol.closed:
                return self._protocol
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(self.timeout_s):
                    _transport, protocol = await loop.create_connection(
                        _Protocol, self.host, self.port
                    )
                    if self.password is not None:
                        auth = [self.password]
                        if self.username:
                            auth.insert(0, self.username)
                        await protocol.send(pack("AUTH", *auth))
                    if self.db:
                        await protocol.send(pack("SELECT", self.db))
            except (OSError, TimeoutError) as exc:
                raise RespConnectionError(str(exc)) from exc
            self._protocol = protocol
            return protocol

    async def aclose(self) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()
        self._protocol = None
