"""The per-process fan-out (virtual_classes/fanout.py): order per socket, one
subscription per room, nothing for whoever left."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer

from virtual_classes import fanout
from virtual_classes.fanout import Outbox, RoomFanout


class Socket:
    """An ASGI send that can be paused like a transport over its high-water mark."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.writable = asyncio.Event()
        self.writable.set()

    async def send(self, message: dict) -> None:
        await self.writable.wait()
        self.sent.append(message["text"])


def frame(text: str) -> dict:
    return {"type": "websocket.send", "text": text}


async def test_frames_keep_their_order_while_a_socket_is_paused():
    socket = Socket()
    outbox = Outbox(socket.send)
    outbox.put(frame("a"))
    socket.writable.clear()
    outbox.put(frame("b"))  # has to wait
    outbox.put(frame("c"))
    own = asyncio.ensure_future(outbox.send(frame("d")))
    await asyncio.sleep(0.01)
    assert socket.sent == ["a"] and not own.done()
    socket.writable.set()
    await asyncio.wait_for(own, 1)
    assert socket.sent == ["a", "b", "c", "d"]
    outbox.put(frame("e"))  # idle again: sent on the spot
    assert socket.sent[-1] == "e"


async def test_broadcasts_held_during_the_snapshot_follow_it():
    socket = Socket()
    outbox = Outbox(socket.send)
    outbox.hold()
    outbox.put(frame("chat"))
    await outbox.send(frame("snapshot"))
    assert socket.sent == ["snapshot"]
    outbox.release()
    await asyncio.sleep(0.01)
    assert socket.sent == ["snapshot", "chat"]


async def test_a_stalled_socket_drops_beyond_the_backlog_limit(monkeypatch):
    monkeypatch.setattr(fanout, "BACKLOG_LIMIT", 3)
    socket = Socket()
    socket.writable.clear()
    outbox = Outbox(socket.send)
    for i in range(6):
        outbox.put(frame(str(i)))
    assert outbox.dropped == 2  # one in flight, three queued
    socket.writable.set()
    await asyncio.sleep(0.01)
    assert socket.sent == ["0", "1", "2", "3"]
    outbox.cancel()


class Member:
    def __init__(self) -> None:
        self.got: list[str] = []

    def on_room_event(self, event: dict, message: dict) -> None:
        self.got.append(message["text"])


async def _until(condition, timeout: float = 2.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("members", [1, 3])
async def test_one_subscription_per_room_delivers_to_every_member(members):
    layer = InMemoryChannelLayer()
    rooms = RoomFanout(layer)
    local = [Member() for _ in range(members)]
    for member in local:
        await rooms.join("class.1", member)
    assert len(layer.groups["class.1"]) == 1  # the process, not each socket
    await layer.group_send("class.1", {"type": "classroom.event", "text": "hello"})
    await _until(lambda: all(m.got for m in local))
    assert [m.got for m in local] == [["hello"]] * members


async def test_a_member_who_left_gets_nothing_and_the_last_one_closes_the_room():
    layer = InMemoryChannelLayer()
    rooms = RoomFanout(layer)
    stays, leaves = Member(), Member()
    await rooms.join("class.2", stays)
    await rooms.join("class.2", leaves)
    await rooms.leave("class.2", leaves)
    await layer.group_send("class.2", {"type": "classroom.event", "text": "x"})
    await _until(lambda: stays.got)
    assert leaves.got == []
    await rooms.leave("class.2", stays)
    assert "class.2" not in rooms.rooms
    assert not layer.groups.get("class.2")


async def test_rooms_of_other_classes_are_not_delivered():
    layer = InMemoryChannelLayer()
    rooms = RoomFanout(layer)
    here, there = Member(), Member()
    await rooms.join("class.3", here)
    await rooms.join("class.4", there)
    await layer.group_send("class.3", {"type": "classroom.event", "text": "3"})
    await _until(lambda: here.got)
    await asyncio.sleep(0.05)
    assert there.got == []
