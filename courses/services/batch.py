"""The offline batch: progress events recorded on a phone, applied when it is back.

Each event is idempotent by its client id: the outcome (accepted or refused, with its
reason) is stored, and sending the event again answers the stored outcome.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.data import EventResult
from courses.models import ProgressEvent
from courses.services.checks import knowledge_check_submit
from courses.services.progress import (
    active_enrollment,
    course_of,
    live_lesson,
    not_in_future,
    open_lesson,
    video_heartbeat_record,
)
from lms.kernel.errors import Forbidden, Invalid, ServiceError

EVENT_KINDS = ("open", "heartbeat", "answer")


def progress_events_apply(
    *, user: Any, events: Sequence[Mapping[str, Any]]
) -> list[EventResult]:
    """Apply a batch of client events (offline), each idempotent by its id.

    Events run in client-time order; a refused event never takes the others down.
    Each event: {id, kind: open|heartbeat|answer, lesson_id, at (aware datetime),
    user_id (optional: who was signed in when it was recorded; another account's
    event is refused), and asset_id/watched_s/position_s/duration_s or
    block_id/answers}.
    """
    order = sorted(range(len(events)), key=lambda i: events[i]["at"])
    results: dict[int, EventResult] = {}
    for index in order:
        results[index] = _apply_event(user=user, event=events[index])
    return [results[i] for i in range(len(events))]


def _apply_event(*, user: Any, event: Mapping[str, Any]) -> EventResult:
    event_id = event["id"]
    seen = ProgressEvent.objects.filter(user=user, client_event_id=event_id).first()
    if seen is not None:
        return EventResult(event_id, seen.accepted, seen.detail, replayed=True)
    try:
        with transaction.atomic():
            detail = _run_event(user=user, event=event)
            ProgressEvent.objects.create(
                user=user,
                client_event_id=event_id,
                kind=event["kind"],
                accepted=True,
                detail=detail,
            )
        return EventResult(event_id, True, detail)
    except ServiceError as exc:
        detail = exc.message[:200]
    except ValidationError as exc:
        detail = " ".join(exc.messages)[:200]
    except IntegrityError:  # the same id arrived concurrently
        seen = ProgressEvent.objects.get(user=user, client_event_id=event_id)
        return EventResult(event_id, seen.accepted, seen.detail, replayed=True)
    ProgressEvent.objects.get_or_create(
        user=user,
        client_event_id=event_id,
        defaults={"kind": event["kind"], "accepted": False, "detail": detail},
    )
    return EventResult(event_id, False, detail)


def _run_event(*, user: Any, event: Mapping[str, Any]) -> str:
    if event.get("user_id") not in (None, user.pk):
        raise Forbidden(
            _("This progress was recorded for another account on this phone."),
            code="other_account",
        )
    kind = event["kind"]
    if kind == "open":
        lesson = live_lesson(event["lesson_id"])
        course = course_of(lesson)
        active_enrollment(user=user, course=course)
        not_in_future(event["at"])
        open_lesson(user=user, lesson=lesson, course=course, at=event["at"])
        return "opened"
    if kind == "heartbeat":
        result = video_heartbeat_record(
            user=user,
            lesson_id=event["lesson_id"],
            asset_id=event["asset_id"],
            watched_s=event["watched_s"],
            position_s=event.get("position_s", 0),
            duration_s=event.get("duration_s"),
            at=event["at"],
        )
        return result.detail or f"watched {result.watched_s}s"
    if kind == "answer":
        submission = knowledge_check_submit(
            user=user,
            lesson_id=event["lesson_id"],
            block_id=event["block_id"],
            answers=event["answers"],
            attempt=event.get("attempt"),
        )
        if submission.score_pct is None:  # the check's policy hides the score
            return "passed" if submission.passed else "not passed"
        return f"score {submission.score_pct}%"
    raise Invalid(_("Unknown event kind."), code="unknown_kind")
