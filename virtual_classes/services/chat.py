"""Chat: length, mute and per-user rate checks, then the message is persisted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Forbidden, Invalid, RateLimited
from virtual_classes.data import ChatMessageData
from virtual_classes.models import ChatMessage, LiveClass
from virtual_classes.selectors.classroom import message_data
from virtual_classes.selectors.permissions import live_class_row

CHAT_MAX_CHARS = 500
CHAT_RATE_MESSAGES = 5
CHAT_RATE_WINDOW_S = 10


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@transaction.atomic
def chat_post(*, live_class_id: int, user_id: int, text: object) -> ChatMessageData:
    """Persist one message. Refusals: Invalid (``invalid``, ``empty``, ``too_long``),
    Forbidden (``muted``: trainees while the instructor muted the chat),
    RateLimited (more than the allowed messages in the window, across tabs)."""
    if not isinstance(text, str):
        raise Invalid(_("A chat message must be text."))
    text = text.strip()
    max_chars = _setting("VIRTUAL_CLASSES_CHAT_MAX_CHARS", CHAT_MAX_CHARS)
    if not text:
        raise Invalid(_("The message is empty."), code="empty")
    if len(text) > max_chars:
        raise Invalid(
            _("A message can be at most %(max)s characters.") % {"max": max_chars},
            code="too_long",
        )
    live_class = live_class_row(live_class_id=live_class_id)
    if live_class.chat_muted and user_id != live_class.instructor_id:
        raise Forbidden(_("The instructor has muted the chat."), code="muted")
    limit = _setting("VIRTUAL_CLASSES_CHAT_RATE_MESSAGES", CHAT_RATE_MESSAGES)
    window = _setting("VIRTUAL_CLASSES_CHAT_RATE_WINDOW_S", CHAT_RATE_WINDOW_S)
    now = timezone.now()
    recent = ChatMessage.objects.filter(
        live_class_id=live_class_id,
        author_id=user_id,
        sent_at__gte=now - dt.timedelta(seconds=window),
    ).count()
    if recent >= limit:
        raise RateLimited(
            _("Slow down: at most %(limit)s messages every %(window)s seconds.")
            % {"limit": limit, "window": window},
            retry_after=window,
        )
    message = ChatMessage.objects.create(
        live_class_id=live_class_id, author_id=user_id, body=text, sent_at=now
    )
    return message_data(ChatMessage.objects.select_related("author").get(pk=message.pk))


@transaction.atomic
def chat_mute_set(*, live_class_id: int, muted: bool) -> None:
    """Mute or unmute the chat for trainees (the instructor can still write)."""
    LiveClass.objects.filter(pk=live_class_id).update(chat_muted=muted)
