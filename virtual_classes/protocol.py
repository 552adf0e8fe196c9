"""The classroom's WebSocket protocol: frame specs, close codes, the frames' shape.

The consumer (``consumers.py``) speaks it; README.md documents it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from virtual_classes.data import Admission, ClassroomSnapshot

MAX_FRAME_BYTES = 4096
# No message of the protocol nests deeper than an object holding a list of values;
# deeper input is refused before it is parsed (4,000 `[` in one frame blew the
# parser's recursion limit and took the connection down before disconnect() ran).
MAX_NESTING = 4


def nesting_depth(text: str) -> int:
    """How deep brackets and braces nest in a JSON text, outside its strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


FLOOD_BURST = 30
FLOOD_RATE_PER_S = 5.0


class CloseCode:
    """WebSocket close codes of the classroom (documented in the README)."""

    NOT_AUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    FULL = 4409
    FLOOD = 4008
    REMOVED = 4009
    ENDED = 4010
    CANCELLED = 4011


# the code of a refused admission (selectors.classroom_admit) -> the close code
REFUSAL_CLOSE_CODES = {
    "not_authenticated": CloseCode.NOT_AUTHENTICATED,
    "not_found": CloseCode.NOT_FOUND,
    "forbidden": CloseCode.FORBIDDEN,
    "outside_window": CloseCode.FORBIDDEN,
    "full": CloseCode.FULL,
    "removed": CloseCode.REMOVED,
    "ended": CloseCode.ENDED,
    "cancelled": CloseCode.CANCELLED,
}

CLOSE_REASONS = {
    CloseCode.NOT_AUTHENTICATED: "not_authenticated",
    CloseCode.FORBIDDEN: "forbidden",
    CloseCode.NOT_FOUND: "not_found",
    CloseCode.FULL: "full",
    CloseCode.FLOOD: "flood",
    CloseCode.REMOVED: "removed",
    CloseCode.ENDED: "ended",
    CloseCode.CANCELLED: "cancelled",
}

# type -> (required fields, optional fields, instructor only)
MESSAGE_SPECS: dict[str, tuple[dict[str, type], dict[str, type], bool]] = {
    "ping": ({}, {}, False),
    "snapshot.request": ({}, {"since": int}, False),
    "chat.send": ({"text": str}, {}, False),
    "hand.raise": ({}, {}, False),
    "hand.lower": ({}, {"user_id": int}, False),
    "hand.clear": ({}, {}, True),
    "poll.open": ({"question": str, "options": list}, {}, True),
    "poll.vote": ({"poll_id": int, "option": int}, {}, False),
    "poll.close": ({"poll_id": int}, {}, True),
    "chat.mute": ({"muted": bool}, {}, True),
    "participant.remove": ({"user_id": int}, {}, True),
    "participant.readmit": ({"user_id": int}, {}, True),
    "class.end": ({}, {}, True),
}


def group_name(live_class_id: int) -> str:
    return f"class.{live_class_id}"


def moderators_group_name(live_class_id: int) -> str:
    """Instructor and observers: they get live presence deltas (see README)."""
    return f"class.{live_class_id}.moderators"


def wire(value: Any) -> Any:
    """A service's answer as JSON-ready values (dataclasses, tuples, ISO times)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def snapshot_frame(snapshot: ClassroomSnapshot, admission: Admission) -> dict:
    live_class = snapshot.live_class
    poll = wire(snapshot.poll)
    if poll is not None:
        poll["my_vote"] = snapshot.my_vote
    frame = {
        "type": "snapshot",
        "class": {
            "id": live_class.id,
            "title": live_class.title,
            "starts_at": live_class.starts_at.isoformat(),
            "ends_at": live_class.ends_at.isoformat(),
            "chat_muted": live_class.chat_muted,
        },
        "you": {
            "user_id": admission.user_id,
            "name": admission.name,
            "role": admission.role,
        },
        "messages": wire(snapshot.messages),
        "hands": wire(snapshot.hands),
        "poll": poll,
        "present": wire(snapshot.present),
    }
    if admission.is_moderating:  # whom the instructor may re-admit
        frame["removed"] = [
            {"user_id": p.user_id, "name": p.name} for p in snapshot.removed
        ]
    return frame


def type_ok(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def field_problem(
    fields: dict, required: dict[str, type], optional: dict[str, type]
) -> str | None:
    missing = [name for name in required if name not in fields]
    if missing:
        return _("Missing field(s): %(fields)s.") % {"fields": ", ".join(missing)}
    allowed = {**required, **optional}
    extra = sorted(name for name in fields if name not in allowed)
    if extra:
        return _("Unexpected field(s): %(fields)s.") % {"fields": ", ".join(extra)}
    wrong = [n for n, v in fields.items() if not type_ok(v, allowed[n])]
    if wrong:
        return _("Wrong type for field(s): %(fields)s.") % {
            "fields": ", ".join(sorted(wrong))
        }
    return None
