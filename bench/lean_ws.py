"""A cheap WebSocket client for the classroom bench: hundreds of sockets in one process.

The `websockets` library runs a task, a frame object and a queue entry per received
frame; at N = 500 × 40 broadcast messages the generator then used as much CPU as the
server it measured, on the same 2 cores. This is RFC 6455 reduced to what the bench
needs, on an asyncio Protocol (one callback per TCP read, no task per socket): the
opening handshake (with the session cookie and an allowed Origin), unmasked server
frames (text, ping → pong, close), masked client text frames. No extensions are
offered, so frames are never compressed. The first frame received (the snapshot or
an error) resolves `ready`; each later text frame goes to `on_text(payload, t)`.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
from collections.abc import Callable

TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def _frame(opcode: int, payload: bytes) -> bytes:
    """A final, masked client frame (RFC 6455 §5.2-5.3)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    repeated = (mask * (n // 4 + 1))[:n]
    masked = (
        int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    ).to_bytes(n, "big")
    return head + mask + masked


class LeanSocket(asyncio.Protocol):
    def __init__(self, request: bytes, on_text: Callable[[bytes, float], None]) -> None:
        self.request = request
        self.on_text = on_text
        self.buffer = bytearray()
        self.upgraded = False
        self.first: bytes | None = None
        self.ready: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    # --- asyncio.Protocol -----------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            if b" 101 " not in status:
                self._fail(f"handshake refused: {status.decode(errors='replace')}")
                return
            del self.buffer[: end + 4]
            self.upgraded = True
        self._frames(now)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"connection lost: {exc}"))
        if not self.closed.done():
            self.closed.set_result(None)

    # --- frames ---------------------------------------------------------------------
    def _frames(self, now: float) -> None:
        buf = self.buffer
        while len(buf) >= 2:
            opcode, length = buf[0] & 0x0F, buf[1] & 0x7F
            start = 2
            if length == 126:
                if len(buf) < 4:
                    return
                (length,) = struct.unpack_from("!H", buf, 2)
                start = 4
            elif length == 127:
                if len(buf) < 10:
                    return
                (length,) = struct.unpack_from("!Q", buf, 2)
                start = 10
            if len(buf) < start + length:
                return
            payload = bytes(buf[start : start + length])
            del buf[: start + length]
            if opcode == TEXT:
                if self.ready.done():
                    self.on_text(payload, now)
                else:
                    self.ready.set_result(payload)
            elif opcode == PING:
                self.transport.write(_frame(PONG, payload))
            elif opcode == CLOSE:
                if not self.ready.done():
                    self.ready.set_result(payload)  # a refusal: error frame, then close
                self.transport.close()
                return

    def _fail(self, reason: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(reason))
        self.transport.close()

    # --- client API -----------------------------------------------------------------
    def send_text(self, text: str) -> None:
        self.transport.write(_frame(TEXT, text.encode()))

    async def close(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(_frame(CLOSE, struct.pack("!H", 1000)))
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), 5)
        except TimeoutError:
            self.transport.close()


async def connect(
    host: str,
    port: int,
    path: str,
    *,
    headers: dict[str, str],
    on_text: Callable[[bytes, float], None],
    timeout_s: float = 60,
) -> tuple[LeanSocket, bytes]:
    """Open a socket; returns it and the first text frame the server sent."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    loop = asyncio.get_running_loop()
    _transport, protocol = await asyncio.wait_for(
        loop.create_connection(lambda: LeanSocket(request, on_text), host, port),
        timeout_s,
    )
    first = await asyncio.wait_for(asyncio.shield(protocol.ready), timeout_s)
    return protocol, first
