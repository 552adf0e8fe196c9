"""Reads of the classroom: who may come in, and the state a client draws."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _

from courses.selectors import enrolled_user_ids
from lms.kernel.errors import Conflict, Forbidden
from virtual_classes.data import (
    Admission,
    ChatMessageData,
    ClassroomSnapshot,
    HandData,
    ParticipantRole,
    PollData,
    PresenceData,
    Viewer,
)
from virtual_classes.models import ChatMessage, ClassRemoval, HandRaise, Poll
from virtual_classes.selectors.attendance import present_user_ids
from virtual_classes.selectors.classes import live_class_data
from virtual_classes.selectors.permissions import entry_check, live_class_row

SNAPSHOT_MESSAGES = 50
SINCE_MAX_MESSAGES = 500


def classroom_admit(
    *, user: Viewer | None, live_class_id: int, now: dt.datetime | None = None
) -> Admission:
    """May this user enter the classroom now? Their admission, or a coded refusal:
    ``not_authenticated``, ``not_found``, ``forbidden``, ``removed``, ``ended``,
    ``outside_window`` or ``full`` (trainees beyond the class's capacity)."""
    if user is None or not user.is_authenticated:
        raise Forbidden(_("Please log in first."), code="not_authenticated")
    live_class = live_class_row(live_class_id=live_class_id)
    role = entry_check(user=user, live_class=live_class, now=now)
    uid = int(user.pk)
    if role == ParticipantRole.TRAINEE:
        # Capacity is for trainees: the instructor and observers (staff, the
        # course's other instructors) take no seat, and a trainee is enrolled.
        present = set(present_user_ids(live_class_id=live_class.pk))
        present &= set(enrolled_user_ids(course_id=live_class.course_id))
        present.discard(live_class.instructor_id)
        if uid not in present and len(present) >= live_class.capacity:
            raise Conflict(_("This class is full."), code="full")
    name = str(getattr(user, "display_name", ""))
    return Admission(live_class_id=live_class.pk, user_id=uid, name=name, role=role)


def message_data(message: ChatMessage) -> ChatMessageData:
    return ChatMessageData(
        id=message.pk,
        user_id=message.author_id,
        name=message.author.display_name,
        text=message.body,
        sent_at=message.sent_at,
    )


def recent_messages(
    *, live_class_id: int, since_id: int | None = None
) -> tuple[ChatMessageData, ...]:
    """The last messages, or those after `since_id` (up to a bounded number)."""
    qs = ChatMessage.objects.filter(live_class_id=live_class_id).select_related(
        "author"
    )
    if since_id is not None:
        rows = list(qs.filter(id__gt=since_id).order_by("id")[:SINCE_MAX_MESSAGES])
    else:
        rows = list(qs.order_by("-id")[:SNAPSHOT_MESSAGES])[::-1]
    return tuple(message_data(m) for m in rows)


def hand_queue(*, live_class_id: int) -> tuple[HandData, ...]:
    """The raised hands, oldest first."""
    hands = (
        HandRaise.objects.filter(live_class_id=live_class_id, lowered_at__isnull=True)
        .select_related("user")
        .order_by("raised_at", "id")
    )
    return tuple(
        HandData(user_id=h.user_id, name=h.user.display_name, raised_at=h.raised_at)
        for h in hands
    )


def poll_data(poll: Poll) -> PollData:
    counts = dict(poll.votes.values_list("option").annotate(n=Count("id")).order_by())
    options = tuple(str(o) for o in poll.options)
    return PollData(
        id=poll.pk,
        question=poll.question,
        options=options,
        tallies=tuple(counts.get(i, 0) for i in range(len(options))),
        closed=poll.closed_at is not None,
    )


def open_poll(
    *, live_class_id: int, user_id: int
) -> tuple[PollData | None, int | None]:
    """The class's open poll (or None) and the option this user voted (or None)."""
    poll = (
        Poll.objects.filter(live_class_id=live_class_id, closed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if poll is None:
        return None, None
    vote = poll.votes.filter(user_id=user_id).values_list("option", flat=True).first()
    return poll_data(poll), vote


def presence_list(*, live_class_id: int) -> tuple[PresenceData, ...]:
    """Who is here, the instructor first, then by name (a person with two tabs once)."""
    live_class = live_class_row(live_class_id=live_class_id)
    users = get_user_model().objects.filter(
        id__in=present_user_ids(live_class_id=live_class_id)
    )
    people = (
        PresenceData(
            user_id=u.pk,
            name=str(getattr(u, "display_name", "")),
            instructor=u.pk == live_class.instructor_id,
        )
        for u in users
    )
    return tuple(sorted(people, key=lambda p: (not p.instructor, p.name)))


def removed_list(*, live_class_id: int) -> tuple[PresenceData, ...]:
    """Whom the instructor removed (they may re-admit them), by name."""
    removals = ClassRemoval.objects.filter(live_class_id=live_class_id).select_related(
        "user"
    )
    people = (
        PresenceData(
            user_id=r.user_id,
            name=str(getattr(r.user, "display_name", "")),
            instructor=False,
        )
        for r in removals
    )
    return tuple(sorted(people, key=lambda p: p.name))


def classroom_snapshot(
    *,
    live_class_id: int,
    user_id: int,
    since_id: int | None = None,
    with_removed: bool = False,
) -> ClassroomSnapshot:
    """Everything a (re)connecting client needs to draw the classroom; with
    `with_removed` (for the instructor and observers) whom the instructor removed."""
    poll, my_vote = open_poll(live_class_id=live_class_id, user_id=user_id)
    return ClassroomSnapshot(
        live_class=live_class_data(live_class_row(live_class_id=live_class_id)),
        messages=recent_messages(live_class_id=live_class_id, since_id=since_id),
        hands=hand_queue(live_class_id=live_class_id),
        poll=poll,
        my_vote=my_vote,
        present=presence_list(live_class_id=live_class_id),
        removed=removed_list(live_class_id=live_class_id) if with_removed else (),
    )
