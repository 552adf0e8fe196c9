"""Use cases of a live class (the writes): scheduling, rooms and tokens, the
classroom (chat, hands, polls, moderation), attendance, Jitsi notifications,
recordings and reminders. Reads are in ``virtual_classes.selectors``.

Every rule lives here or in the selectors, synchronous and transactional, so the same
code serves HTTP, the WebSocket, tasks and management commands. Refusals are coded
errors from ``lms.kernel.errors``. ``from virtual_classes import services;
services.x(...)`` reaches every public name below.
"""

from virtual_classes.services.attendance import attendance_join, attendance_leave
from virtual_classes.services.changes import (
    Scope,
    live_class_cancel,
    live_class_update,
    recording_publish_set,
)
from virtual_classes.services.chat import chat_mute_set, chat_post
from virtual_classes.services.hands import hand_lower, hand_raise
from virtual_classes.services.jitsi_events import (
    jitsi_event_receive,
    jitsi_notification_receive,
)
from virtual_classes.services.moderation import (
    live_class_end,
    participant_readmit,
    participant_remove,
)
from virtual_classes.services.polls import poll_close, poll_open, poll_vote
from virtual_classes.services.recordings import recording_fetch
from virtual_classes.services.rooms import class_join
from virtual_classes.services.scheduling import (
    REMINDER_MIN,
    class_reminders_send,
    demo_class_seed,
    live_class_create,
    reminder_lead_min,
)
from virtual_classes.services.series import live_class_series_create, series_dates

__all__ = [
    "REMINDER_MIN",
    "Scope",
    "attendance_join",
    "attendance_leave",
    "chat_mute_set",
    "chat_post",
    "class_join",
    "class_reminders_send",
    "demo_class_seed",
    "hand_lower",
    "hand_raise",
    "jitsi_event_receive",
    "jitsi_notification_receive",
    "live_class_cancel",
    "live_class_create",
    "live_class_end",
    "live_class_series_create",
    "live_class_update",
    "participant_readmit",
    "participant_remove",
    "poll_close",
    "poll_open",
    "poll_vote",
    "recording_fetch",
    "recording_publish_set",
    "reminder_lead_min",
    "series_dates",
]
