"""The classroom WebSocket, on the in-memory layer and on real Redis."""

from __future__ import annotations

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests.virtual_classes.conftest import closed_with, receive, receive_until
from virtual_classes.models import (
    AttendanceInterval,
    ChatMessage,
    ClassRemoval,
    LiveClass,
)
from virtual_classes.protocol import CloseCode


@pytest.fixture
def db(committed_db):
    """The consumer reaches the database from other threads, so what a test writes is
    committed; the module cleans up once at its end (tests/conftest.py committed_db).
    Each test counts only the rows of its own class."""


def _messages_in(live_class):
    return ChatMessage.objects.filter(live_class=live_class)


async def test_enrolled_trainee_gets_a_snapshot_on_connect(
    open_socket, live_class, student
):
    ws = await open_socket(student, live_class.id)
    snapshot = await receive(ws)
    assert snapshot["type"] == "snapshot"
    assert snapshot["you"]["role"] == "trainee"
    assert [p["user_id"] for p in snapshot["present"]] == [student.id]
    assert snapshot["messages"] == [] and snapshot["hands"] == []
    assert snapshot["poll"] is None


async def test_anonymous_connection_is_closed_with_4401(open_socket, live_class):
    ws = await open_socket(None, live_class.id)
    assert await closed_with(ws) == CloseCode.NOT_AUTHENTICATED


async def test_trainee_not_enrolled_is_closed_with_4403(
    open_socket, live_class, trainee
):
    ws = await open_socket(trainee, live_class.id)
    error = await receive(ws)
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert await closed_with(ws) == CloseCode.FORBIDDEN


async def test_connection_before_the_join_window_is_refused(
    open_socket, make_class, student
):
    later = await database_sync_to_async(make_class)(
        starts_at=timezone.now() + dt.timedelta(hours=2)
    )
    ws = await open_socket(student, later.id)
    assert await closed_with(ws) == CloseCode.FORBIDDEN


async def test_unknown_class_is_closed_with_4404(open_socket, student):
    ws = await open_socket(student, 999999)
    assert await closed_with(ws) == CloseCode.NOT_FOUND


async def test_full_class_refuses_another_trainee(
    open_socket, make_class, student, other_student
):
    small = await database_sync_to_async(make_class)(capacity=1)
    first = await open_socket(student, small.id)
    await receive_until(first, "snapshot")
    second = await open_socket(other_student, small.id)
    assert await closed_with(second) == CloseCode.FULL


async def test_the_instructor_and_observers_take_no_seat(
    open_socket, make_class, instructor, student, other_student, make_user
):
    small = await database_sync_to_async(make_class)(capacity=1)
    staff = await database_sync_to_async(make_user)("ministry_staff", is_staff=True)
    for teacher in (instructor, staff):  # in the room before any trainee
        await receive_until(await open_socket(teacher, small.id), "snapshot")
    first = await open_socket(student, small.id)
    await receive_until(first, "snapshot")  # the one seat is still free
    second = await open_socket(other_student, small.id)
    assert await closed_with(second) == CloseCode.FULL


async def test_chat_reaches_this_class_and_not_another(
    open_socket, make_class, student, other_student
):
    here = await database_sync_to_async(make_class)()
    elsewhere = await database_sync_to_async(make_class)(title="أخرى")
    sender = await open_socket(student, here.id)
    listener = await open_socket(other_student, here.id)
    outsider = await open_socket(student, elsewhere.id)
    for ws in (sender, listener, outsider):
        await receive_until(ws, "snapshot")
    await sender.send_json_to({"type": "chat.send", "text": "  السلام عليكم  "})
    got = await receive_until(listener, "chat.message")
    assert got["message"]["text"] == "السلام عليكم"
    assert got["message"]["user_id"] == student.id
    assert (await receive_until(sender, "chat.message"))["message"] == got["message"]
    assert await outsider.receive_nothing(timeout=0.3)


async def test_chat_is_persisted_and_replayed_in_the_reconnect_snapshot(
    open_socket, live_class, student, other_student
):
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    for text in ("أول", "ثاني"):
        await ws.send_json_to({"type": "chat.send", "text": text})
        await receive_until(ws, "chat.message")
    await ws.disconnect()
    count = await database_sync_to_async(
        ChatMessage.objects.filter(live_class=live_class).count
    )()
    assert count == 2
    again = await open_socket(other_student, live_class.id)
    snapshot = await receive_until(again, "snapshot")
    assert [m["text"] for m in snapshot["messages"]] == ["أول", "ثاني"]
    first_id = snapshot["messages"][0]["id"]
    since = await open_socket(student, live_class.id, query=f"since={first_id}")
    snapshot = await receive_until(since, "snapshot")
    assert [m["text"] for m in snapshot["messages"]] == ["ثاني"]


async def test_chat_rate_limit_answers_an_error_and_keeps_the_connection(
    open_socket, live_class, student, settings
):
    settings.VIRTUAL_CLASSES_CHAT_RATE_MESSAGES = 2
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    for n in range(2):
        await ws.send_json_to({"type": "chat.send", "text": f"m{n}"})
        await receive_until(ws, "chat.message")
    await ws.send_json_to({"type": "chat.send", "text": "too many"})
    error = await receive_until(ws, "error")
    assert error["code"] == "rate_limited" and error["ref"] == "chat.send"
    await ws.send_json_to({"type": "ping"})
    assert (await receive_until(ws, "pong"))["type"] == "pong"
    assert await database_sync_to_async(_messages_in(live_class).count)() == 2


async def test_chat_longer_than_the_limit_is_refused(open_socket, live_class, student):
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    await ws.send_json_to({"type": "chat.send", "text": "x" * 501})
    assert (await receive_until(ws, "error"))["code"] == "too_long"
    assert await database_sync_to_async(_messages_in(live_class).count)() == 0


async def test_hand_queue_keeps_the_order_hands_were_raised(
    open_socket, live_class, instructor, student, other_student
):
    teacher = await open_socket(instructor, live_class.id)
    first = await open_socket(other_student, live_class.id)
    second = await open_socket(student, live_class.id)
    for ws in (teacher, first, second):
        await receive_until(ws, "snapshot")
    await first.send_json_to({"type": "hand.raise"})
    await receive_until(teacher, "hand.queue")
    await second.send_json_to({"type": "hand.raise"})
    queue = await receive_until(teacher, "hand.queue")
    assert [h["user_id"] for h in queue["hands"]] == [other_student.id, student.id]
    await first.send_json_to({"type": "hand.raise"})  # again: keeps its place
    queue = await receive_until(teacher, "hand.queue")
    assert [h["user_id"] for h in queue["hands"]] == [other_student.id, student.id]
    await teacher.send_json_to({"type": "hand.lower", "user_id": other_student.id})
    queue = await receive_until(teacher, "hand.queue")
    assert [h["user_id"] for h in queue["hands"]] == [student.id]
    await teacher.send_json_to({"type": "hand.clear"})
    assert (await receive_until(teacher, "hand.queue"))["hands"] == []


async def test_trainee_cannot_lower_someone_elses_hand(
    open_socket, live_class, student, other_student
):
    a = await open_socket(student, live_class.id)
    b = await open_socket(other_student, live_class.id)
    for ws in (a, b):
        await receive_until(ws, "snapshot")
    await a.send_json_to({"type": "hand.raise"})
    await receive_until(b, "hand.queue")
    await b.send_json_to({"type": "hand.lower", "user_id": student.id})
    assert (await receive_until(b, "error"))["code"] == "forbidden"


async def test_poll_takes_one_vote_per_trainee_and_broadcasts_tallies(
    open_socket, live_class, instructor, student, other_student
):
    teacher = await open_socket(instructor, live_class.id)
    a = await open_socket(student, live_class.id)
    b = await open_socket(other_student, live_class.id)
    for ws in (teacher, a, b):
        await receive_until(ws, "snapshot")
    await teacher.send_json_to(
        {"type": "poll.open", "question": "هل فهمت؟", "options": ["نعم", "لا"]}
    )
    poll = (await receive_until(a, "poll.update"))["poll"]
    assert poll["tallies"] == [0, 0] and not poll["closed"]
    await receive_until(teacher, "poll.update")
    await a.send_json_to({"type": "poll.vote", "poll_id": poll["id"], "option": 0})
    assert (await receive_until(a, "poll.voted"))["option"] == 0
    assert (await receive_until(teacher, "poll.update"))["poll"]["tallies"] == [1, 0]
    await a.send_json_to({"type": "poll.vote", "poll_id": poll["id"], "option": 1})
    assert (await receive_until(a, "error"))["code"] == "already_voted"
    await b.send_json_to({"type": "poll.vote", "poll_id": poll["id"], "option": 1})
    assert (await receive_until(teacher, "poll.update"))["poll"]["tallies"] == [1, 1]
    late = await open_socket(student, live_class.id)
    snapshot = await receive_until(late, "snapshot")
    assert snapshot["poll"]["my_vote"] == 0
    await teacher.send_json_to({"type": "poll.close", "poll_id": poll["id"]})
    closed = (await receive_until(b, "poll.update"))["poll"]
    while not closed["closed"]:  # b may still have the tally of its own vote queued
        closed = (await receive_until(b, "poll.update"))["poll"]
    assert closed["closed"] and closed["tallies"] == [1, 1]
    await b.send_json_to({"type": "poll.vote", "poll_id": poll["id"], "option": 0})
    assert (await receive_until(b, "error"))["code"] == "poll_closed"


async def test_vote_for_an_option_that_does_not_exist_is_refused(
    open_socket, live_class, instructor, student
):
    teacher = await open_socket(instructor, live_class.id)
    a = await open_socket(student, live_class.id)
    await receive_until(teacher, "snapshot")
    await receive_until(a, "snapshot")
    await teacher.send_json_to(
        {"type": "poll.open", "question": "?", "options": ["a", "b"]}
    )
    poll = (await receive_until(a, "poll.update"))["poll"]
    await a.send_json_to({"type": "poll.vote", "poll_id": poll["id"], "option": 7})
    assert (await receive_until(a, "error"))["code"] == "invalid"


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "poll.open", "question": "?", "options": ["a", "b"]},
        {"type": "chat.mute", "muted": True},
        {"type": "hand.clear"},
        {"type": "class.end"},
        {"type": "participant.remove", "user_id": 1},
        {"type": "participant.readmit", "user_id": 1},
    ],
    ids=lambda f: f["type"],
)
async def test_trainee_cannot_use_instructor_actions(
    open_socket, live_class, student, frame
):
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    await ws.send_json_to(frame)
    error = await receive_until(ws, "error")
    assert error["code"] == "forbidden" and error["ref"] == frame["type"]
    fresh = await database_sync_to_async(LiveClass.objects.get)(pk=live_class.pk)
    assert fresh.ended_at is None and not fresh.chat_muted


async def test_instructor_mutes_the_chat_for_trainees(
    open_socket, live_class, instructor, student
):
    teacher = await open_socket(instructor, live_class.id)
    a = await open_socket(student, live_class.id)
    await receive_until(teacher, "snapshot")
    await receive_until(a, "snapshot")
    await teacher.send_json_to({"type": "chat.mute", "muted": True})
    assert (await receive_until(a, "chat.muted"))["muted"] is True
    await a.send_json_to({"type": "chat.send", "text": "hello"})
    assert (await receive_until(a, "error"))["code"] == "muted"
    await teacher.send_json_to({"type": "chat.send", "text": "instructor speaks"})
    assert (await receive_until(a, "chat.message"))["message"][
        "user_id"
    ] == instructor.id


async def test_removed_participant_is_disconnected_and_cannot_return(
    open_socket, live_class, instructor, student, other_student
):
    teacher = await open_socket(instructor, live_class.id)
    victim = await open_socket(student, live_class.id)
    bystander = await open_socket(other_student, live_class.id)
    for ws in (teacher, victim, bystander):
        await receive_until(ws, "snapshot")
    await teacher.send_json_to({"type": "participant.remove", "user_id": student.id})
    assert await closed_with(victim) == CloseCode.REMOVED
    leave = await receive_until(teacher, "presence.leave")
    assert leave["user_id"] == student.id
    removals = ClassRemoval.objects.filter(live_class=live_class)
    assert await database_sync_to_async(removals.count)() == 1
    back = await open_socket(student, live_class.id)
    assert await closed_with(back) == CloseCode.REMOVED
    await bystander.send_json_to({"type": "ping"})
    assert (await receive_until(bystander, "pong"))["type"] == "pong"


async def test_instructor_readmits_a_removed_participant(
    open_socket, live_class, instructor, student, other_student
):
    teacher = await open_socket(instructor, live_class.id)
    victim = await open_socket(student, live_class.id)
    bystander = await open_socket(other_student, live_class.id)
    for ws in (teacher, victim, bystander):
        await receive_until(ws, "snapshot")
    await teacher.send_json_to({"type": "participant.remove", "user_id": student.id})
    assert await closed_with(victim) == CloseCode.REMOVED
    # the instructor's snapshot lists whom they removed; a trainee's does not
    await teacher.send_json_to({"type": "snapshot.request"})
    snapshot = await receive_until(teacher, "snapshot")
    assert [p["user_id"] for p in snapshot["removed"]] == [student.id]
    await bystander.send_json_to({"type": "snapshot.request"})
    assert "removed" not in await receive_until(bystander, "snapshot")
    await teacher.send_json_to({"type": "participant.readmit", "user_id": student.id})
    readmitted = await receive_until(teacher, "participant.readmitted")
    assert readmitted["user"]["user_id"] == student.id
    removals = ClassRemoval.objects.filter(live_class=live_class)
    assert not await database_sync_to_async(removals.exists)()
    back = await open_socket(student, live_class.id)
    assert (await receive_until(back, "snapshot"))["you"]["user_id"] == student.id


async def test_readmitting_someone_not_removed_is_refused(
    open_socket, live_class, instructor, student
):
    teacher = await open_socket(instructor, live_class.id)
    await receive_until(teacher, "snapshot")
    await teacher.send_json_to({"type": "participant.readmit", "user_id": student.id})
    error = await receive_until(teacher, "error")
    assert error["code"] == "not_removed" and error["ref"] == "participant.readmit"


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "participant.readmit"}',
        '{"type": "participant.readmit", "user_id": "12"}',
        '{"type": "participant.readmit", "user_id": true}',
        '{"type": "participant.readmit", "user_id": 1, "all": true}',
    ],
    ids=["missing", "string", "bool", "extra"],
)
async def test_a_malformed_readmit_is_refused(
    open_socket, live_class, instructor, frame
):
    teacher = await open_socket(instructor, live_class.id)
    await receive_until(teacher, "snapshot")
    await teacher.send_to(text_data=frame)
    error = await receive_until(teacher, "error")
    assert error["code"] == "invalid" and error["ref"] == "participant.readmit"


async def test_an_observer_cannot_readmit(
    open_socket, live_class, instructor, ministry_staff, student
):
    teacher = await open_socket(instructor, live_class.id)
    staff = await open_socket(ministry_staff, live_class.id)
    victim = await open_socket(student, live_class.id)
    for ws in (teacher, staff, victim):
        await receive_until(ws, "snapshot")
    await teacher.send_json_to({"type": "participant.remove", "user_id": student.id})
    assert await closed_with(victim) == CloseCode.REMOVED
    await staff.send_json_to({"type": "participant.readmit", "user_id": student.id})
    assert (await receive_until(staff, "error"))["code"] == "forbidden"
    removals = ClassRemoval.objects.filter(live_class=live_class)
    assert await database_sync_to_async(removals.exists)()


async def test_a_cancelled_class_closes_the_socket_with_4011(
    open_socket, live_class, student
):
    await database_sync_to_async(LiveClass.objects.filter(pk=live_class.pk).update)(
        cancelled_at=timezone.now(), cancel_reason="x"
    )
    ws = await open_socket(student, live_class.id)
    assert (await receive(ws))["code"] == "cancelled"
    assert await closed_with(ws) == CloseCode.CANCELLED


async def test_ending_the_class_closes_everyone_and_the_attendance(
    open_socket, live_class, instructor, student
):
    teacher = await open_socket(instructor, live_class.id)
    a = await open_socket(student, live_class.id)
    await receive_until(teacher, "snapshot")
    await receive_until(a, "snapshot")
    await teacher.send_json_to({"type": "class.end"})
    assert await closed_with(a) == CloseCode.ENDED
    assert await closed_with(teacher) == CloseCode.ENDED
    open_intervals = await database_sync_to_async(
        AttendanceInterval.objects.filter(
            live_class=live_class, left_at__isnull=True
        ).count
    )()
    assert open_intervals == 0
    again = await open_socket(student, live_class.id)
    assert await closed_with(again) == CloseCode.ENDED


async def test_instructor_sees_arrivals_and_departures_once_per_person(
    open_socket, live_class, instructor, student
):
    watcher = await open_socket(instructor, live_class.id)
    await receive_until(watcher, "snapshot")
    await receive_until(watcher, "presence.join")  # its own arrival
    tab1 = await open_socket(student, live_class.id)
    joined = await receive_until(watcher, "presence.join")
    assert joined["user"]["user_id"] == student.id
    tab2 = await open_socket(student, live_class.id)
    snapshot = await receive_until(tab2, "snapshot")
    assert {p["user_id"] for p in snapshot["present"]} == {student.id, instructor.id}
    await tab1.disconnect()
    assert await watcher.receive_nothing(timeout=0.3)  # still here in tab 2
    await tab2.disconnect()
    assert (await receive_until(watcher, "presence.leave"))["user_id"] == student.id


async def test_trainees_get_presence_in_snapshots_not_as_live_deltas(
    open_socket, live_class, student, other_student
):
    first = await open_socket(student, live_class.id)
    await receive_until(first, "snapshot")
    second = await open_socket(other_student, live_class.id)
    await receive_until(second, "snapshot")
    assert await first.receive_nothing(timeout=0.3)
    await first.send_json_to({"type": "snapshot.request"})
    present = (await receive_until(first, "snapshot"))["present"]
    assert {p["user_id"] for p in present} == {student.id, other_student.id}


BAD_FRAMES = {
    "not_json": ("{not json", "malformed_json"),
    "array": ("[1, 2]", "invalid"),
    "no_type": ('{"text": "hi"}', "invalid"),
    "type_not_text": ('{"type": 5}', "invalid"),
    "unknown_type": ('{"type": "launch.rockets"}', "unknown_type"),
    "missing_field": ('{"type": "chat.send"}', "invalid"),
    "extra_field": ('{"type": "chat.send", "text": "x", "admin": true}', "invalid"),
    "wrong_type": ('{"type": "chat.send", "text": 42}', "invalid"),
    "bool_as_int": ('{"type": "poll.vote", "poll_id": true, "option": 0}', "invalid"),
    "empty_chat": ('{"type": "chat.send", "text": "   "}', "empty"),
    "unknown_poll": ('{"type": "poll.vote", "poll_id": 12345, "option": 0}', "invalid"),
    "too_large": ('{"type": "chat.send", "text": "' + "x" * 5000 + '"}', "too_large"),
    # 4,000 brackets blew the JSON parser's recursion limit and the connection
    "deeply_nested": ("[" * 4000, "too_deep"),
    "nested_object": ('{"type": "ping", "x": {"a": {"b": {"c": {}}}}}', "too_deep"),
    "brackets_in_text_are_text": ('{"type": "chat.send", "text": "[[[[[[[[[["}', None),
}


@pytest.mark.parametrize("name", list(BAD_FRAMES))
async def test_bad_input_gets_an_error_frame_and_the_connection_stays(
    open_socket, live_class, student, name
):
    text, code = BAD_FRAMES[name]
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    await ws.send_to(text_data=text)
    if code is None:  # not bad after all: the chat line goes out
        got = await receive_until(ws, "chat.message")
        assert got["message"]["text"] == "[[[[[[[[[["
    else:
        error = await receive_until(ws, "error")
        assert error["code"] == code and error["message"]
    await ws.send_json_to({"type": "ping"})
    assert (await receive_until(ws, "pong"))["type"] == "pong"


async def test_binary_frame_gets_an_error_frame(open_socket, live_class, student):
    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await receive_until(ws, "error"))["code"] == "bad_frame"


async def test_a_flood_closes_only_the_flooding_connection(
    open_socket, live_class, student, other_student, settings
):
    settings.VIRTUAL_CLASSES_FLOOD_BURST = 10
    settings.VIRTUAL_CLASSES_FLOOD_RATE_PER_S = 1
    flooder = await open_socket(student, live_class.id)
    calm = await open_socket(other_student, live_class.id)
    await receive_until(flooder, "snapshot")
    await receive_until(calm, "snapshot")
    for _ in range(30):
        await flooder.send_to(text_data="garbage")
    assert await closed_with(flooder) == CloseCode.FLOOD
    await calm.send_json_to({"type": "ping"})
    assert (await receive_until(calm, "pong"))["type"] == "pong"


async def test_a_crashing_message_leaves_the_connection_and_its_attendance_intact(
    open_socket, live_class, student, monkeypatch
):
    """Whatever a message does, the connection answers an error and, when it
    closes, the attendance is closed too (the trainee is not left "present")."""
    from channels.db import database_sync_to_async

    from virtual_classes.consumers import ClassroomConsumer
    from virtual_classes.models import AttendanceInterval

    async def boom(self, content, **kwargs):
        raise RuntimeError("a bug in a handler")

    ws = await open_socket(student, live_class.id)
    await receive_until(ws, "snapshot")
    monkeypatch.setattr(ClassroomConsumer, "receive_json", boom)
    await ws.send_json_to({"type": "ping"})
    assert (await receive_until(ws, "error"))["code"] == "server_error"
    await ws.disconnect()
    still_open = await database_sync_to_async(
        AttendanceInterval.objects.filter(user=student, left_at__isnull=True).exists
    )()
    assert not still_open
