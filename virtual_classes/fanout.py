"""A classroom's broadcasts fanned out once per web process, not once per socket.

With one channel-layer group membership per socket, every chat message in a class of
500 became 500 deliveries in each process: a queue entry, a deserialisation, a task
switch through Channels' dispatch loop and a thread hand-off (`aclose_old_connections`
before every handler) per socket. Measured in bench/bench_virtual_classes.py, that
was most of the server's CPU per delivered message and seconds of p99 at N = 500.

Here each process subscribes ONCE per room (one channel of its own in the layer's
group, whatever the layer: Redis pub/sub, Redis core or in-memory) and hands every
event to its local members in a loop. The frame's JSON text was built once by the
sender; one ASGI message dict is shared by every member. Each member writes through
its `Outbox`, which keeps that socket's frames in order without a task per frame.

Who receives what is unchanged: a room is the group the consumer would have joined,
and a member filters targeted events (removals) itself, as before.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Frames queued for one slow socket before more are dropped (the core Redis layer's
# per-channel capacity, the same at-most-once rule): a client that fell this far
# behind re-syncs from its snapshot (`?since=`), which is persisted first.
BACKLOG_LIMIT = 1500

Send = Callable[[dict], Coroutine[Any, Any, None]]


class Member(Protocol):
    def on_room_event(self, event: dict, message: dict) -> None:
        """Deliver `message` (the ASGI send of event["text"]) if it is for me."""


class Outbox:
    """One socket's outgoing ASGI messages, in order.

    A send into a writable socket completes without suspending (uvicorn only waits
    while the transport is paused), so `put` runs it on the spot; only a send that
    has to wait becomes a task, and later frames queue behind it. `send` (the
    consumer's own frames: accept, snapshot, errors, close) waits its turn in the
    same queue. `held` keeps broadcast frames back until `release()`: the snapshot
    is sent first, then what arrived while it was being read.
    """

    def __init__(self, send: Send) -> None:
        self._send = send
        self._queue: deque[tuple[dict, asyncio.Future | None]] | None = None
        self._held = False
        self._task: asyncio.Task | None = None
        self.dropped = 0

    def hold(self) -> None:
        self._held = True
        if self._queue is None:
            self._queue = deque()

    def release(self) -> None:
        self._held = False
        self._after_send()

    def put(self, message: dict) -> None:
        """Queue a broadcast frame (never waits)."""
        if self._queue is not None:
            if len(self._queue) >= BACKLOG_LIMIT:
                self.dropped += 1
                return
            self._queue.append((message, None))
            return
        coroutine = self._send(message)
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - a socket that is gone takes no frames
            logger.debug("classroom: a frame to a closed socket", exc_info=True)
            return
        self._queue = deque()
        self._task = asyncio.ensure_future(self._finish(coroutine, waiting))

    async def send(self, message: dict) -> None:
        """Send one of the consumer's own frames after what is queued before it."""
        if self._queue is not None and not self._held:
            done = asyncio.get_running_loop().create_future()
            self._queue.append((message, done))
            await done
            return
        if self._held:
            await self._send(message)
            return
        self._queue = deque()
        try:
            await self._send(message)
        finally:
            self._after_send()

    def cancel(self) -> None:
        """The socket is gone: drop what is queued."""
        if self._task is not None:
            self._task.cancel()
        for _message, done in self._queue or ():
            if done is not None and not done.done():
                done.cancel()
        self._queue = None

    def _after_send(self) -> None:
        if self._task is not None or self._held:
            return
        if self._queue:
            self._task = asyncio.ensure_future(self._drain())
        else:
            self._queue = None

    async def _finish(self, coroutine: Any, waiting: Any) -> None:
        try:
            await _resume(coroutine, waiting)
        except Exception:  # noqa: BLE001
            logger.debug("classroom: a frame to a closed socket", exc_info=True)
        await self._drain()

    async def _drain(self) -> None:
        try:
            while self._queue:
                message, done = self._queue.popleft()
                try:
                    await self._send(message)
                except Exception as error:  # noqa: BLE001 - the socket closed
                    if done is not None and not done.done():
                        done.set_exception(error)
                    continue
                if done is not None and not done.done():
                    done.set_result(None)
        finally:
            self._task = None
            if self._queue is not None and not self._queue and not self._held:
                self._queue = None


async def _resume(coroutine: Generator, waiting: Any) -> None:
    """Run a coroutine that suspended on `waiting` to its end, as its Task would."""
    while True:
        try:
            if waiting is None:  # a bare yield (asyncio.sleep(0))
                await asyncio.sleep(0)
            else:
                await asyncio.wait((waiting,))  # its outcome is read by the coroutine
        except asyncio.CancelledError:
            coroutine.close()
            raise
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            return


class _Room:
    def __init__(self, group: str) -> None:
        self.group = group
        self.members: dict[int, Member] = {}
        # set by RoomFanout.join (opened) and RoomFanout._open (channel, relay)
        self.channel: str
        self.opened: asyncio.Future[None]
        self.relay: asyncio.Task[None]


class RoomFanout:
    """The rooms of one channel layer in one event loop (one per web process)."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.rooms: dict[str, _Room] = {}

    async def join(self, group: str, member: Member) -> None:
        """Deliver the group's events to `member` from now on (subscribed on return)."""
        room = self.rooms.get(group)
        if room is None:
            room = self.rooms[group] = _Room(group)
            room.opened = asyncio.ensure_future(self._open(room))
        room.members[id(member)] = member
        try:
            await asyncio.shield(room.opened)
        except BaseException:
            room.members.pop(id(member), None)
            if self.rooms.get(group) is room and room.opened.done():
                del self.rooms[group]  # the next join tries again
            raise

    def forget(self, member: Member) -> None:
        """Stop delivering to `member` at once (it is closing); rooms stay open."""
        for room in self.rooms.values():
            room.members.pop(id(member), None)

    async def leave(self, group: str, member: Member) -> None:
        room = self.rooms.get(group)
        if room is None:
            return
        room.members.pop(id(member), None)
        if room.members or self.rooms.get(group) is not room:
            return
        del self.rooms[group]
        await self._close(room)

    async def _open(self, room: _Room) -> None:
        room.channel = await self.layer.new_channel()
        await self.layer.group_add(room.group, room.channel)
        room.relay = asyncio.ensure_future(self._relay(room))

    async def _close(self, room: _Room) -> None:
        try:
            await asyncio.shield(room.opened)
        except Exception:  # noqa: BLE001 - it never opened: nothing to undo
            return
        room.relay.cancel()
        try:
            await room.relay
        except asyncio.CancelledError:
            pass
        await self.layer.group_discard(room.group, room.channel)

    async def _relay(self, room: _Room) -> None:
        while True:
            try:
                event = await self.layer.receive(room.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a layer outage: keep the room
                logger.warning("classroom fan-out: receive failed", exc_info=True)
                await asyncio.sleep(1)
                continue
            message = {"type": "websocket.send", "text": event["text"]}
            for member in list(room.members.values()):
                try:
                    member.on_room_event(event, message)
                except Exception:  # noqa: BLE001 - one socket never stops the room
                    logger.exception("classroom fan-out: delivery failed")


_FANOUTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomFanout] = (
    weakref.WeakKeyDictionary()
)


def fanout_for(layer: Any) -> RoomFanout:
    """This event loop's fan-out for `layer` (a new one if the layer was replaced)."""
    loop = asyncio.get_running_loop()
    fanout = _FANOUTS.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _FANOUTS[loop] = RoomFanout(layer)
    return fanout
