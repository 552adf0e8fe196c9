"""The classroom over WebSocket: /ws/classes/<id>/ (protocol in README.md).

Thin: parse and validate a frame, call a service or selector through
database_sync_to_async, broadcast the result to this class's group only. The rules
and the database are theirs; the frames' shape and the close codes are this module's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from channels.db import aclose_old_connections, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from lms.kernel.errors import ServiceError
from virtual_classes import selectors, services
from virtual_classes.data import Admission, AttendanceSource
from virtual_classes.fanout import Outbox, fanout_for
from virtual_classes.protocol import (
    CLOSE_REASONS,
    FLOOD_BURST,
    FLOOD_RATE_PER_S,
    MAX_FRAME_BYTES,
    MAX_NESTING,
    MESSAGE_SPECS,
    REFUSAL_CLOSE_CODES,
    CloseCode,
    field_problem,
    group_name,
    moderators_group_name,
    nesting_depth,
    snapshot_frame,
    wire,
)

logger = logging.getLogger(__name__)


class ClassroomConsumer(AsyncJsonWebsocketConsumer):
    admission: Admission | None = None
    _closing = False

    # Every frame to this socket goes through its Outbox (virtual_classes/fanout.py):
    # the room's broadcasts and the consumer's own frames, in order.
    @property
    def base_send(self) -> Callable[[dict], Any]:
        return self._outbox.send

    @base_send.setter
    def base_send(self, send: Callable[[dict], Any]) -> None:
        self._outbox = Outbox(send)

    async def dispatch(self, message: dict) -> None:
        # Channels closes stale database connections (a thread hand-off) before
        # every handler; a frame's ORM work does it in receive_json, so a ping, an
        # invalid frame or a flood refusal does not pay for it.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
            return
        await super().dispatch(message)

    async def websocket_disconnect(self, message: dict) -> None:
        try:
            await super().websocket_disconnect(message)
        finally:
            self._outbox.cancel()

    async def connect(self) -> None:
        self.group = None
        self.tokens = float(self._flood_burst())
        self.tokens_at = time.monotonic()
        await self.accept()
        try:
            live_class_id = int(self.scope["url_route"]["kwargs"]["class_id"])
            self.admission = await database_sync_to_async(selectors.classroom_admit)(
                user=self.scope.get("user"), live_class_id=live_class_id
            )
        except ServiceError as refused:
            close_code = REFUSAL_CLOSE_CODES.get(refused.code, CloseCode.FORBIDDEN)
            await self._refuse(close_code, refused.message)
            return
        self.group = group_name(live_class_id)
        self.moderators = moderators_group_name(live_class_id)
        # broadcasts that arrive while the snapshot is read follow it, in order
        self._outbox.hold()
        fanout = fanout_for(self.channel_layer)
        await fanout.join(self.group, self)
        if self.admission.is_moderating:
            await fanout.join(self.moderators, self)
        first = await database_sync_to_async(services.attendance_join)(
            live_class_id=live_class_id,
            user_id=self.admission.user_id,
            source=AttendanceSource.CLASSROOM,
            connection_key=self.channel_name,
        )
        await self._send_snapshot(self._since_from_query())
        self._outbox.release()
        if first:
            await self._broadcast(
                {
                    "type": "presence.join",
                    "user": {
                        "user_id": self.admission.user_id,
                        "name": self.admission.name,
                        "instructor": self.admission.is_instructor,
                    },
                },
                group=self.moderators,
            )

    async def disconnect(self, code: int) -> None:
        if self.group is None or self.admission is None:
            return
        await self._leave_groups()
        await aclose_old_connections()
        gone = await database_sync_to_async(services.attendance_leave)(
            live_class_id=self.admission.live_class_id,
            user_id=self.admission.user_id,
            source=AttendanceSource.CLASSROOM,
            connection_key=self.channel_name,
        )
        if gone:
            await self._broadcast(
                {"type": "presence.leave", "user_id": self.admission.user_id},
                group=self.moderators,
            )

    # --- incoming frames ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if self.admission is None:
            return
        if not self._take_token():
            logger.info("classroom flood: closing one connection")
            await self._refuse(
                CloseCode.FLOOD, _("Too many messages: the connection was closed.")
            )
            return
        if bytes_data is not None:
            await self._error("bad_frame", _("Send JSON text frames only."))
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self._error("too_large", _("This message is too large."))
            return
        if nesting_depth(text_data) > MAX_NESTING:
            await self._error("too_deep", _("This message is nested too deeply."))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self._error("malformed_json", _("This message is not valid JSON."))
            return
        try:
            await self.receive_json(content)
        except Exception:  # noqa: BLE001 - one bad message never ends the connection
            kind = content.get("type") if isinstance(content, dict) else None
            logger.exception("classroom: a %r message failed", kind)
            await self._error("server_error", _("Something went wrong; try again."))

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self._error(
                "invalid", _('A message is a JSON object with a "type" field.')
            )
            return
        kind = content["type"]
        spec = MESSAGE_SPECS.get(kind)
        if spec is None:
            await self._error("unknown_type", _("Unknown message type."), kind)
            return
        required, optional, instructor_only = spec
        fields = {k: v for k, v in content.items() if k != "type"}
        problem = field_problem(fields, required, optional)
        if problem:
            await self._error("invalid", problem, kind)
            return
        if instructor_only and not self.admission.is_instructor:
            await self._error("forbidden", _("Only the instructor can do this."), kind)
            return
        handler = getattr(self, "on_" + kind.replace(".", "_"))
        await aclose_old_connections()
        try:
            await handler(**fields)
        except ServiceError as error:
            await self._error(error.code, error.message, kind)
        except Exception:
            logger.exception("classroom handler failed for %s", kind)
            await self._error("server_error", _("Something went wrong; try again."))

    # --- handlers ---------------------------------------------------------------------

    async def on_ping(self) -> None:
        await self.send_json({"type": "pong"})

    async def on_snapshot_request(self, since: int | None = None) -> None:
        await self._send_snapshot(since)

    async def on_chat_send(self, text: str) -> None:
        message = await self._call(
            services.chat_post, user_id=self.admission.user_id, text=text
        )
        await self._broadcast({"type": "chat.message", "message": wire(message)})

    async def on_hand_raise(self) -> None:
        hands = await self._call(services.hand_raise, user_id=self.admission.user_id)
        await self._broadcast({"type": "hand.queue", "hands": wire(hands)})

    async def on_hand_lower(self, user_id: int | None = None) -> None:
        if user_id not in (None, self.admission.user_id):
            if not self.admission.is_instructor:
                await self._error(
                    "forbidden", _("Only the instructor can do this."), "hand.lower"
                )
                return
        hands = await self._call(
            services.hand_lower, user_id=user_id or self.admission.user_id
        )
        await self._broadcast({"type": "hand.queue", "hands": wire(hands)})

    async def on_hand_clear(self) -> None:
        hands = await self._call(services.hand_lower, user_id=None)
        await self._broadcast({"type": "hand.queue", "hands": wire(hands)})

    async def on_poll_open(self, question: str, options: list) -> None:
        poll = await self._call(services.poll_open, question=question, options=options)
        await self._broadcast({"type": "poll.update", "poll": wire(poll)})

    async def on_poll_vote(self, poll_id: int, option: int) -> None:
        poll = await self._call(
            services.poll_vote,
            poll_id=poll_id,
            option=option,
            user_id=self.admission.user_id,
        )
        await self.send_json(
            {"type": "poll.voted", "poll_id": poll_id, "option": option}
        )
        await self._broadcast({"type": "poll.update", "poll": wire(poll)})

    async def on_poll_close(self, poll_id: int) -> None:
        poll = await self._call(services.poll_close, poll_id=poll_id)
        await self._broadcast({"type": "poll.update", "poll": wire(poll)})

    async def on_chat_mute(self, muted: bool) -> None:
        await self._call(services.chat_mute_set, muted=muted)
        await self._broadcast({"type": "chat.muted", "muted": muted})

    async def on_participant_remove(self, user_id: int) -> None:
        await self._call(
            services.participant_remove,
            user_id=user_id,
            removed_by_id=self.admission.user_id,
        )
        await self._broadcast(
            {"type": "participant.removed", "user_id": user_id},
            close_user_id=user_id,
            close_code=CloseCode.REMOVED,
        )

    async def on_participant_readmit(self, user_id: int) -> None:
        name = await self._call(services.participant_readmit, user_id=user_id)
        await self._broadcast(
            {
                "type": "participant.readmitted",
                "user": {"user_id": user_id, "name": name},
            },
            group=self.moderators,
        )

    async def on_class_end(self) -> None:
        await self._call(services.live_class_end)
        await self._broadcast({"type": "class.ended"}, close_code=CloseCode.ENDED)

    # --- events from the room (virtual_classes/fanout.py) -----------------------------

    def on_room_event(self, event: dict, message: dict) -> None:
        """Forward a broadcast frame; close if it targets this connection."""
        close_user_id = event.get("close_user_id")
        close_code = event.get("close_code")
        if close_user_id is not None and close_user_id != self.admission.user_id:
            return
        self._outbox.put(message)
        if close_code and not self._closing:
            self._closing = True
            fanout_for(self.channel_layer).forget(self)  # no frame after this one
            self._close_task = asyncio.ensure_future(self._leave_then_close(close_code))

    # --- helpers ----------------------------------------------------------------------

    @property
    def _moderating(self) -> bool:
        return self.admission is not None and self.admission.is_moderating

    async def _leave_groups(self) -> None:
        fanout = fanout_for(self.channel_layer)
        await fanout.leave(self.group, self)
        if self._moderating:
            await fanout.leave(self.moderators, self)

    async def _call(self, func: Callable[..., Any], **kwargs: Any) -> Any:
        return await database_sync_to_async(func)(
            live_class_id=self.admission.live_class_id, **kwargs
        )

    async def _broadcast(
        self,
        frame: dict,
        *,
        close_code: int | None = None,
        close_user_id: int | None = None,
        group: str | None = None,
    ) -> None:
        # encoded once here, not once per receiving connection
        event: dict[str, Any] = {"type": "classroom.event", "text": json.dumps(frame)}
        if close_code:
            event["close_code"] = close_code
        if close_user_id is not None:
            event["close_user_id"] = close_user_id
        await self.channel_layer.group_send(group or self.group, event)

    async def _send_snapshot(self, since: int | None) -> None:
        snapshot = await database_sync_to_async(selectors.classroom_snapshot)(
            live_class_id=self.admission.live_class_id,
            user_id=self.admission.user_id,
            since_id=since,
            with_removed=self.admission.is_moderating,
        )
        await self.send_json(snapshot_frame(snapshot, self.admission))

    def _since_from_query(self) -> int | None:
        query = self.scope.get("query_string", b"").decode(errors="replace")
        for part in query.split("&"):
            key, _sep, value = part.partition("=")
            if key == "since" and value.isdigit():
                return int(value)
        return None

    async def _leave_then_close(self, code: int) -> None:
        if code == CloseCode.ENDED:
            # the service already closed every interval: just leave the groups
            await self._leave_groups()
        else:
            await self.disconnect(code)
        self.group = None
        await self.close(code=code)

    async def _refuse(self, code: int, message: str) -> None:
        await self.send_json(
            {
                "type": "error",
                "code": CLOSE_REASONS.get(code, "refused"),
                "message": message,
            }
        )
        if self.group is not None:
            await self._leave_then_close(code)
        else:
            await self.close(code=code)

    async def _error(self, code: str, message: str, ref: str | None = None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if ref:
            frame["ref"] = ref
        await self.send_json(frame)

    @staticmethod
    def _flood_burst() -> int:
        return getattr(settings, "VIRTUAL_CLASSES_FLOOD_BURST", FLOOD_BURST)

    def _take_token(self) -> bool:
        """A per-connection token bucket: sustained rate plus a burst allowance."""
        now = time.monotonic()
        rate = getattr(settings, "VIRTUAL_CLASSES_FLOOD_RATE_PER_S", FLOOD_RATE_PER_S)
        self.tokens = min(
            self._flood_burst(), self.tokens + (now - self.tokens_at) * rate
        )
        self.tokens_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
