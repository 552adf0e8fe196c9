"""Use cases of a live class: scheduling, the classroom, attendance, Jitsi events.

The consumer and the views are thin: every rule lives here, synchronous and
transactional, so the same code serves HTTP, WebSocket and management commands.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import course_get, enrollment_exists
from courses.services import live_attendance_set
from lms.accounts.roles import Role, user_has_role
from lms.kernel.tasks import enqueue, enqueue_on_commit
from virtual_classes.models import (
    AttendanceInterval,
    ChatMessage,
    ClassRemoval,
    HandRaise,
    JitsiEvent,
    LiveClass,
    Poll,
    PollVote,
)

logger = logging.getLogger(__name__)

CHAT_MAX_CHARS = 500
CHAT_RATE_MESSAGES = 5
CHAT_RATE_WINDOW_S = 10
SNAPSHOT_MESSAGES = 50
REMINDER_MIN = 60  # minutes before the start; VIRTUAL_CLASSES_REMINDER_MIN overrides
POLL_MAX_OPTIONS = 10
POLL_OPTION_MAX_CHARS = 100


def _setting(name: str, default):
    return getattr(settings, name, default)


class ParticipantRole:
    INSTRUCTOR = "instructor"
    TRAINEE = "trainee"
    OBSERVER = "observer"  # ministry staff and the course's other instructors


class CloseCode:
    """WebSocket close codes of the classroom (documented in the README)."""

    NOT_AUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    FULL = 4409
    FLOOD = 4008
    REMOVED = 4009
    ENDED = 4010


class ClassroomRefused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Admission:
    live_class_id: int
    user_id: int
    name: str
    role: str

    @property
    def is_instructor(self) -> bool:
        return self.role == ParticipantRole.INSTRUCTOR


# --- who may take part ------------------------------------------------------------


def participant_role(*, user, live_class: LiveClass) -> str | None:
    """The user's role in this class, or None if they may not join it."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.id == live_class.instructor_id:
        return ParticipantRole.INSTRUCTOR
    if user_has_role(user, Role.MINISTRY_STAFF):
        return ParticipantRole.OBSERVER
    if user_has_role(user, Role.INSTRUCTOR):
        course = course_get(course_id=live_class.course_id)
        if user.id in course.instructor_ids:
            return ParticipantRole.OBSERVER
    if enrollment_exists(user=user, course_id=live_class.course_id):
        return ParticipantRole.TRAINEE
    return None


def classroom_admit(*, user, live_class_id: int, now: dt.datetime | None = None):
    """Decide whether this user may enter the classroom now; raise ClassroomRefused."""
    if not getattr(user, "is_authenticated", False):
        raise ClassroomRefused(CloseCode.NOT_AUTHENTICATED, _("Please log in first."))
    live_class = LiveClass.objects.filter(pk=live_class_id).first()
    if live_class is None:
        raise ClassroomRefused(CloseCode.NOT_FOUND, _("This class does not exist."))
    role = participant_role(user=user, live_class=live_class)
    if role is None:
        raise ClassroomRefused(
            CloseCode.FORBIDDEN, _("Only trainees enrolled in the course can join.")
        )
    if ClassRemoval.objects.filter(live_class=live_class, user=user).exists():
        raise ClassroomRefused(
            CloseCode.REMOVED, _("The instructor removed you from this class.")
        )
    if live_class.ended_at:
        raise ClassroomRefused(CloseCode.ENDED, _("This class has ended."))
    if not live_class.is_open_at(now):
        raise ClassroomRefused(
            CloseCode.FORBIDDEN,
            _(
                "The class is not open now: you can join from %(minutes)s minutes "
                "before it starts until it ends."
            )
            % {"minutes": live_class.join_early_min},
        )
    if role == ParticipantRole.TRAINEE:
        present = set(present_user_ids(live_class_id=live_class.id))
        if user.id not in present and len(present) >= live_class.capacity:
            raise ClassroomRefused(CloseCode.FULL, _("This class is full."))
    return Admission(live_class.id, user.id, user.display_name, role)


# --- scheduling -------------------------------------------------------------------


@transaction.atomic
def live_class_create(
    *,
    instructor,
    course_id: int,
    title: str,
    starts_at: dt.datetime,
    duration_min: int = 60,
    capacity: int = 500,
    join_early_min: int = 15,
    cohort: str = "",
    description: str = "",
    start_audio_only: bool = True,
) -> LiveClass:
    """Schedule a class for a course the instructor teaches (or any, for staff)."""
    course = course_get(course_id=course_id)
    if not (
        user_has_role(instructor, Role.MINISTRY_STAFF)
        or instructor.id in course.instructor_ids
    ):
        raise ValidationError(
            _("You can only schedule classes for courses you teach."), code="forbidden"
        )
    if starts_at <= timezone.now():
        raise ValidationError(
            _("Choose a start time in the future."), code="starts_in_past"
        )
    live_class = LiveClass(
        course_id=course_id,
        instructor=instructor,
        title=title.strip(),
        starts_at=starts_at,
        duration_min=duration_min,
        capacity=capacity,
        join_early_min=join_early_min,
        cohort=cohort.strip(),
        description=description.strip(),
        start_audio_only=start_audio_only,
    )
    live_class.full_clean()
    live_class.save()
    transaction.on_commit(lambda: reminder_schedule(live_class=live_class))
    return live_class


def reminder_schedule(*, live_class: LiveClass) -> None:
    """Queue the class's reminder for `VIRTUAL_CLASSES_REMINDER_MIN` before its start.

    Needs a task backend that can defer (the database queue of `make run`, RQ in
    production); with one that cannot (the immediate backend of the tests) the cron
    command `send_class_reminders` remains the way to send them.
    """
    from django_tasks import default_task_backend

    from virtual_classes import tasks

    lead = _setting("VIRTUAL_CLASSES_REMINDER_MIN", REMINDER_MIN)
    if not default_task_backend.supports_defer:
        return
    run_after = live_class.starts_at - dt.timedelta(minutes=lead)
    task = tasks.class_reminders_due
    if run_after > timezone.now():
        task = task.using(run_after=run_after)
    enqueue(task, lead)


# --- chat -------------------------------------------------------------------------


def message_data(message: ChatMessage) -> dict:
    return {
        "id": message.id,
        "user_id": message.author_id,
        "name": message.author.display_name,
        "text": message.body,
        "sent_at": message.sent_at.isoformat(),
    }


@transaction.atomic
def chat_post(*, live_class_id: int, user, text) -> dict:
    """Persist one chat message after the length, mute and per-user rate checks."""
    if not isinstance(text, str):
        raise ValidationError(_("A chat message must be text."), code="invalid")
    text = text.strip()
    max_chars = _setting("VIRTUAL_CLASSES_CHAT_MAX_CHARS", CHAT_MAX_CHARS)
    if not text:
        raise ValidationError(_("The message is empty."), code="empty")
    if len(text) > max_chars:
        raise ValidationError(
            _("A message can be at most %(max)s characters.") % {"max": max_chars},
            code="too_long",
        )
    live_class = LiveClass.objects.get(pk=live_class_id)
    if live_class.chat_muted and user.id != live_class.instructor_id:
        raise ValidationError(_("The instructor has muted the chat."), code="muted")
    limit = _setting("VIRTUAL_CLASSES_CHAT_RATE_MESSAGES", CHAT_RATE_MESSAGES)
    window = _setting("VIRTUAL_CLASSES_CHAT_RATE_WINDOW_S", CHAT_RATE_WINDOW_S)
    now = timezone.now()
    recent = ChatMessage.objects.filter(
        live_class_id=live_class_id,
        author=user,
        sent_at__gte=now - dt.timedelta(seconds=window),
    ).count()
    if recent >= limit:
        raise ValidationError(
            _("Slow down: at most %(limit)s messages every %(window)s seconds.")
            % {"limit": limit, "window": window},
            code="rate_limited",
        )
    message = ChatMessage.objects.create(
        live_class_id=live_class_id, author=user, body=text, sent_at=now
    )
    return message_data(message)


def recent_messages(*, live_class_id: int, since_id: int | None = None) -> list[dict]:
    """The last messages, or those after `since_id` (up to a bounded number)."""
    qs = ChatMessage.objects.filter(live_class_id=live_class_id).select_related(
        "author"
    )
    if since_id is not None:
        rows = list(qs.filter(id__gt=since_id).order_by("id")[:500])
    else:
        rows = list(qs.order_by("-id")[:SNAPSHOT_MESSAGES])[::-1]
    return [message_data(m) for m in rows]


# --- hands ------------------------------------------------------------------------


def hand_queue(*, live_class_id: int) -> list[dict]:
    hands = (
        HandRaise.objects.filter(live_class_id=live_class_id, lowered_at__isnull=True)
        .select_related("user")
        .order_by("raised_at", "id")
    )
    return [
        {
            "user_id": h.user_id,
            "name": h.user.display_name,
            "raised_at": h.raised_at.isoformat(),
        }
        for h in hands
    ]


def hand_raise(*, live_class_id: int, user) -> list[dict]:
    """Join the back of the queue; raising twice keeps one's place."""
    try:
        with transaction.atomic():
            HandRaise.objects.get_or_create(
                live_class_id=live_class_id, user=user, lowered_at__isnull=True
            )
    except IntegrityError:
        pass  # a concurrent raise from another tab won
    return hand_queue(live_class_id=live_class_id)


@transaction.atomic
def hand_lower(*, live_class_id: int, user_id: int | None = None) -> list[dict]:
    """Lower one user's hand, or every hand when user_id is None."""
    qs = HandRaise.objects.filter(live_class_id=live_class_id, lowered_at__isnull=True)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    qs.update(lowered_at=timezone.now())
    return hand_queue(live_class_id=live_class_id)


# --- polls ------------------------------------------------------------------------


def poll_data(poll: Poll) -> dict:
    counts = dict(poll.votes.values_list("option").annotate(n=Count("id")).order_by())
    return {
        "id": poll.id,
        "question": poll.question,
        "options": poll.options,
        "tallies": [counts.get(i, 0) for i in range(len(poll.options))],
        "closed": poll.closed_at is not None,
    }


@transaction.atomic
def poll_open(*, live_class_id: int, question, options) -> dict:
    """Open a poll; only one is open at a time in a class."""
    if not isinstance(question, str) or not question.strip():
        raise ValidationError(_("Write the poll question."), code="invalid")
    if len(question) > 300:
        raise ValidationError(
            _("The question can be at most 300 characters."), code="invalid"
        )
    if (
        not isinstance(options, list)
        or not 2 <= len(options) <= POLL_MAX_OPTIONS
        or not all(isinstance(o, str) and o.strip() for o in options)
    ):
        raise ValidationError(
            _("A poll needs between 2 and %(max)s non-empty options.")
            % {"max": POLL_MAX_OPTIONS},
            code="invalid",
        )
    if any(len(o) > POLL_OPTION_MAX_CHARS for o in options):
        raise ValidationError(
            _("An option can be at most %(max)s characters.")
            % {"max": POLL_OPTION_MAX_CHARS},
            code="invalid",
        )
    if Poll.objects.filter(
        live_class_id=live_class_id, closed_at__isnull=True
    ).exists():
        raise ValidationError(
            _("Close the current poll before opening another."), code="poll_open"
        )
    poll = Poll.objects.create(
        live_class_id=live_class_id,
        question=question.strip(),
        options=[o.strip() for o in options],
    )
    return poll_data(poll)


def _open_poll(*, live_class_id: int, poll_id) -> Poll:
    poll = Poll.objects.filter(pk=poll_id, live_class_id=live_class_id).first()
    if poll is None:
        raise ValidationError(_("There is no such poll in this class."), code="invalid")
    if poll.closed_at:
        raise ValidationError(_("This poll is closed."), code="poll_closed")
    return poll


def poll_vote(*, live_class_id: int, poll_id: int, user, option: int) -> dict:
    """Record the user's single vote and return the new tallies."""
    poll = _open_poll(live_class_id=live_class_id, poll_id=poll_id)
    if not 0 <= option < len(poll.options):
        raise ValidationError(_("There is no such option."), code="invalid")
    try:
        with transaction.atomic():
            PollVote.objects.create(poll=poll, user=user, option=option)
    except IntegrityError:
        raise ValidationError(
            _("You have already voted in this poll."), code="already_voted"
        ) from None
    return poll_data(poll)


@transaction.atomic
def poll_close(*, live_class_id: int, poll_id: int) -> dict:
    poll = _open_poll(live_class_id=live_class_id, poll_id=poll_id)
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    return poll_data(poll)


def open_poll(*, live_class_id: int, user_id: int) -> dict | None:
    poll = (
        Poll.objects.filter(live_class_id=live_class_id, closed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if poll is None:
        return None
    data = poll_data(poll)
    data["my_vote"] = (
        poll.votes.filter(user_id=user_id).values_list("option", flat=True).first()
    )
    return data


# --- moderation -------------------------------------------------------------------


@transaction.atomic
def chat_mute_set(*, live_class_id: int, muted: bool) -> None:
    LiveClass.objects.filter(pk=live_class_id).update(chat_muted=muted)


@transaction.atomic
def participant_remove(*, live_class_id: int, user_id: int, removed_by) -> None:
    """Bar a participant from the class and close their attendance."""
    live_class = LiveClass.objects.get(pk=live_class_id)
    if user_id == live_class.instructor_id:
        raise ValidationError(_("You cannot remove the instructor."), code="invalid")
    ClassRemoval.objects.get_or_create(
        live_class=live_class, user_id=user_id, defaults={"removed_by": removed_by}
    )
    HandRaise.objects.filter(
        live_class=live_class, user_id=user_id, lowered_at__isnull=True
    ).update(lowered_at=timezone.now())
    AttendanceInterval.objects.filter(
        live_class=live_class, user_id=user_id, left_at__isnull=True
    ).update(left_at=timezone.now())
    attendance_report_minutes(live_class=live_class, user_ids=[user_id])


@transaction.atomic
def live_class_end(*, live_class_id: int) -> None:
    """End the class: close every interval and report everyone's minutes."""
    live_class = LiveClass.objects.select_for_update().get(pk=live_class_id)
    if live_class.ended_at:
        return
    now = timezone.now()
    live_class.ended_at = now
    live_class.save(update_fields=["ended_at"])
    AttendanceInterval.objects.filter(
        live_class=live_class, left_at__isnull=True
    ).update(left_at=now)
    HandRaise.objects.filter(live_class=live_class, lowered_at__isnull=True).update(
        lowered_at=now
    )
    Poll.objects.filter(live_class=live_class, closed_at__isnull=True).update(
        closed_at=now
    )
    user_ids = set(
        AttendanceInterval.objects.filter(live_class=live_class).values_list(
            "user_id", flat=True
        )
    )
    attendance_report_minutes(live_class=live_class, user_ids=sorted(user_ids))


# --- presence and attendance ------------------------------------------------------


def present_user_ids(*, live_class_id: int) -> list[int]:
    return list(
        AttendanceInterval.objects.filter(
            live_class_id=live_class_id,
            source=AttendanceInterval.Source.CLASSROOM,
            left_at__isnull=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def presence_list(*, live_class_id: int) -> list[dict]:
    from django.contrib.auth import get_user_model

    live_class = LiveClass.objects.get(pk=live_class_id)
    users = get_user_model().objects.filter(
        id__in=present_user_ids(live_class_id=live_class_id)
    )
    return sorted(
        (
            {
                "user_id": u.id,
                "name": u.display_name,
                "instructor": u.id == live_class.instructor_id,
            }
            for u in users
        ),
        key=lambda p: (not p["instructor"], p["name"]),
    )


@transaction.atomic
def attendance_join(
    *,
    live_class_id: int,
    user_id: int,
    source: str,
    connection_key: str,
    at: dt.datetime | None = None,
) -> bool:
    """Open an interval; True if the user was not present before (first connection)."""
    was_present = AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        user_id=user_id,
        source=source,
        left_at__isnull=True,
    ).exists()
    AttendanceInterval.objects.get_or_create(
        live_class_id=live_class_id,
        source=source,
        connection_key=connection_key,
        left_at__isnull=True,
        defaults={"user_id": user_id, "joined_at": at or timezone.now()},
    )
    return not was_present


@transaction.atomic
def attendance_leave(
    *,
    live_class_id: int,
    user_id: int,
    source: str,
    connection_key: str,
    at: dt.datetime | None = None,
) -> bool:
    """Close the interval; True if the user has no other open connection left."""
    AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        source=source,
        connection_key=connection_key,
        left_at__isnull=True,
    ).update(left_at=at or timezone.now())
    still_present = AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        user_id=user_id,
        source=source,
        left_at__isnull=True,
    ).exists()
    live_class = LiveClass.objects.get(pk=live_class_id)
    attendance_report_minutes(live_class=live_class, user_ids=[user_id])
    return not still_present


def _merged_seconds(
    spans: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> float:
    """Seconds covered by the union of spans, clipped to [start, end]."""
    clipped = sorted(
        (max(a, start), min(b, end)) for a, b in spans if min(b, end) > max(a, start)
    )
    total = 0.0
    cur_start = cur_end = None
    for a, b in clipped:
        if cur_end is None or a > cur_end:
            if cur_end is not None:
                total += (cur_end - cur_start).total_seconds()
            cur_start, cur_end = a, b
        else:
            cur_end = max(cur_end, b)
    if cur_end is not None:
        total += (cur_end - cur_start).total_seconds()
    return total


def attendance_minutes(
    *, live_class: LiveClass, now: dt.datetime | None = None
) -> dict[int, int]:
    """Whole minutes each person attended between the start and the real end.

    Overlapping intervals (two tabs, classroom plus Jitsi) count once.
    """
    now = now or timezone.now()
    end = min(live_class.effective_end, now)
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for user_id, joined, left in AttendanceInterval.objects.filter(
        live_class=live_class
    ).values_list("user_id", "joined_at", "left_at"):
        spans.setdefault(user_id, []).append((joined, left or now))
    return {
        user_id: int(_merged_seconds(s, live_class.starts_at, end) // 60)
        for user_id, s in spans.items()
    }


def attendance_report_minutes(*, live_class: LiveClass, user_ids: list[int]) -> None:
    """Hand trainees' minutes to the course completion rule (idempotent set)."""
    minutes = attendance_minutes(live_class=live_class)
    for user_id in user_ids:
        if user_id == live_class.instructor_id:
            continue
        live_attendance_set(
            user_id=user_id,
            course_id=live_class.course_id,
            source_key=f"class:{live_class.id}",
            minutes=minutes.get(user_id, 0),
        )


# --- reconnect snapshot -----------------------------------------------------------


def classroom_snapshot(
    *, live_class_id: int, admission: Admission, since_id: int | None = None
) -> dict:
    """Everything a (re)connecting client needs to draw the classroom."""
    live_class = LiveClass.objects.get(pk=live_class_id)
    return {
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
        "messages": recent_messages(live_class_id=live_class_id, since_id=since_id),
        "hands": hand_queue(live_class_id=live_class_id),
        "poll": open_poll(live_class_id=live_class_id, user_id=admission.user_id),
        "present": presence_list(live_class_id=live_class_id),
    }


# --- notifications from Jitsi -----------------------------------------------------

JITSI_EVENT_TYPES = {"RECORDING_UPLOADED", "PARTICIPANT_JOINED", "PARTICIPANT_LEFT"}


def _room_from(payload: dict) -> str:
    fqn = payload.get("fqn")
    if isinstance(fqn, str) and fqn:
        return fqn.rsplit("/", 1)[-1].lower()
    room = (payload.get("data") or {}).get("room")
    return room.lower() if isinstance(room, str) else ""


def jitsi_event_receive(*, payload) -> tuple[JitsiEvent, bool]:
    """Store a verified notification once (by idempotencyKey) and act on it.

    Returns (event, created); a repeated key changes nothing.
    """
    from virtual_classes import jitsi, tasks

    if not isinstance(payload, dict):
        raise ValidationError(_("The notification must be a JSON object."))
    key = payload.get("idempotencyKey")
    event_type = payload.get("eventType")
    data = payload.get("data")
    if not isinstance(key, str) or not key or len(key) > 200:
        raise ValidationError(_("idempotencyKey is missing or too long."))
    if not isinstance(event_type, str) or not isinstance(data, dict):
        raise ValidationError(_("eventType and data are required."))
    existing = JitsiEvent.objects.filter(idempotency_key=key).first()
    if existing:
        return existing, False
    live_class = LiveClass.objects.filter(room_name=_room_from(payload)).first()
    if event_type == "RECORDING_UPLOADED":
        link = data.get("preAuthenticatedLink")
        if not isinstance(link, str) or not jitsi.recording_url_allowed(link):
            raise ValidationError(
                _("The recording link is not on the configured Jitsi host.")
            )
        if live_class is None:
            raise ValidationError(_("No live class uses this room."))
    try:
        with transaction.atomic():
            event = JitsiEvent.objects.create(
                idempotency_key=key,
                event_type=event_type[:60],
                live_class=live_class,
                payload=payload,
            )
            if event_type == "RECORDING_UPLOADED":
                enqueue_on_commit(tasks.recording_fetch, event.id)
            elif event_type in JITSI_EVENT_TYPES and live_class is not None:
                _jitsi_presence(event=event, live_class=live_class, payload=payload)
            else:
                event.status = JitsiEvent.Status.IGNORED
                event.save(update_fields=["status"])
    except IntegrityError:
        return JitsiEvent.objects.get(idempotency_key=key), False
    return event, True


def _jitsi_presence(*, event: JitsiEvent, live_class: LiveClass, payload) -> None:
    """A participant joined or left the video: a jitsi attendance interval."""
    from django.contrib.auth import get_user_model

    data = payload["data"]
    user = get_user_model().objects.filter(pk=_int_or_none(data.get("id"))).first()
    timestamp = payload.get("timestamp")
    if user is None or participant_role(user=user, live_class=live_class) is None:
        event.status = JitsiEvent.Status.IGNORED
        event.save(update_fields=["status"])
        return
    at = timezone.now()
    if isinstance(timestamp, int | float) and not isinstance(timestamp, bool):
        at = dt.datetime.fromtimestamp(timestamp / 1000, tz=dt.UTC)
    connection = str(
        data.get("participantId") or data.get("participantJid") or f"user:{user.id}"
    )[:200]
    kwargs = {
        "live_class_id": live_class.id,
        "user_id": user.id,
        "source": AttendanceInterval.Source.JITSI,
        "connection_key": connection,
        "at": at,
    }
    if payload["eventType"] == "PARTICIPANT_JOINED":
        attendance_join(**kwargs)
    else:
        attendance_leave(**kwargs)
    event.status = JitsiEvent.Status.DONE
    event.save(update_fields=["status"])


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- reminders --------------------------------------------------------------------


def class_reminders_send(*, within_min: int = 60) -> list[tuple[str, int]]:
    """E-mail enrolled trainees and the instructor once, shortly before each class."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mass_mail
    from django.urls import reverse

    from courses.selectors import enrolled_user_ids

    now = timezone.now()
    due = LiveClass.objects.filter(
        ended_at__isnull=True,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(minutes=within_min),
    ).select_related("instructor")
    results = []
    for live_class in due:
        with transaction.atomic():
            claimed = LiveClass.objects.filter(
                pk=live_class.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another run took it
            ids = {*enrolled_user_ids(course_id=live_class.course_id)}
            ids.add(live_class.instructor_id)
            users = get_user_model().objects.filter(id__in=ids, is_active=True)
            url = settings.SITE_URL.rstrip("/") + reverse(
                "virtual_classes:detail", args=[live_class.id]
            )
            start = timezone.localtime(live_class.starts_at).strftime("%Y-%m-%d %H:%M")
            subject = _("Reminder: live class “%(title)s”") % {
                "title": live_class.title
            }
            body = _(
                "Your live class “%(title)s” starts at %(start)s (Cairo time).\n"
                "Join from this link: %(url)s\n"
                "You can join %(minutes)s minutes early. Video starts audio only to "
                "save data."
            ) % {
                "title": live_class.title,
                "start": start,
                "url": url,
                "minutes": live_class.join_early_min,
            }
            emails = [
                (subject, body, settings.DEFAULT_FROM_EMAIL, [u.email])
                for u in users
                if u.email
            ]
            send_mass_mail(emails, fail_silently=False)
        results.append((live_class.title, len(emails)))
    return results
