"""The offline batch: progress events recorded on a phone, applied when it is back.

Each event is idempotent by its client id: the outcome (accepted or refused, with its
code and reason) is stored, and sending the event again answers the stored outcome.
Times are the phone's: the same plausibility rules as online apply, and since a clock
can be set back, no event may be dated before the enrolment and no heartbeat is
credited more than one report's worth of playing (`progress.client_step_s`).
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
from courses.services.heartbeat_fast import heartbeat_event_fast
from courses.services.progress import (
    active_enrollment,
    course_of,
    live_lesson,
    not_before_enrolment,
    not_in_future,
    open_lesson,
    video_heartbeat_record,
)
from lms.kernel.errors import Forbidden, Invalid, ServiceError

EVENT_KINDS = ("open", "heartbeat", "answer")


def progress_events_apply(
    *, user: Any, events: Sequence[Mapping[str, Any]], client_dated: bool = True
) -> list[EventResult]:
    """Apply a batch of client events (offline), each idempotent by its id.

    Events run in client-time order; a refused event never takes the others down.
    Each event: {id, kind: open|heartbeat|answer, lesson_id, at (aware datetime),
    user_id (optional: who was signed in when it was recorded; another account's
    event is refused), and asset_id/watched_s/position_s/duration_s or
    block_id/answers}. `client_dated` False: `at` is the server's (a heartbeat sent
    online with an event id), so one report may carry more than one step.
    """
    order = sorted(range(len(events)), key=lambda i: events[i]["at"])
    results: dict[int, EventResult] = {}
    for index in order:
        results[index] = _apply_event(
            user=user, event=events[index], client_dated=client_dated
        )
    return [results[i] for i in range(len(events))]


def _apply_event(
    *, user: Any, event: Mapping[str, Any], client_dated: bool
) -> EventResult:
    event_id = event["id"]
    if event["kind"] == "heartbeat":  # the plain case in two statements, or None
        fast = heartbeat_event_fast(user=user, event=event, client_dated=client_dated)
        if fast is not None:
            return fast
    seen = ProgressEvent.objects.filter(user=user, client_event_id=event_id).first()
    if seen is not None:
        return _replayed(seen)
    try:
        with transaction.atomic():
            detail = _run_event(user=user, event=event, client_dated=client_dated)
            ProgressEvent.objects.create(
                user=user,
                client_event_id=event_id,
                kind=event["kind"],
                accepted=True,
                detail=detail,
            )
        return EventResult(event_id, True, detail)
    except ServiceError as exc:
        code, detail = exc.code, exc.message[:200]
    except ValidationError as exc:
        code, detail = "invalid", " ".join(exc.messages)[:200]
    except IntegrityError:  # the same id arrived concurrently
        return _replayed(ProgressEvent.objects.get(user=user, client_event_id=event_id))
    ProgressEvent.objects.get_or_create(
        user=user,
        client_event_id=event_id,
        defaults={
            "kind": event["kind"],
            "accepted": False,
            "code": code[:40],
            "detail": detail,
        },
    )
    return EventResult(event_id, False, detail, code=code)


def _replayed(seen: ProgressEvent) -> EventResult:
    return EventResult(
        seen.client_event_id, seen.accepted, seen.detail, replayed=True, code=seen.code
    )


def _run_event(*, user: Any, event: Mapping[str, Any], client_dated: bool) -> str:
    if event.get("user_id") not in (None, user.pk):
        raise Forbidden(
            _("This progress was recorded for another account on this phone."),
            code="other_account",
        )
    kind = event["kind"]
    if kind == "open":
        lesson = live_lesson(event["lesson_id"])
        course = course_of(lesson)
        enrollment = active_enrollment(user=user, course=course)
        not_in_future(event["at"])
        not_before_enrolment(enrollment=enrollment, at=event["at"])
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
            client_dated=client_dated,
        )
        return result.detail or f"watched {result.watched_s}s"
    if kind == "answer":
        lesson = live_lesson(event["lesson_id"])
        enrollment = active_enrollment(user=user, course=course_of(lesson))
        not_in_future(event["at"])
        not_before_enrolment(enrollment=enrollment, at=event["at"])
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
