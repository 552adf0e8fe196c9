"""Changing scheduled classes: reschedule or edit, cancel with a reason; alone or
with the rest of their series. The enrolled are told (``lms.kernel.notifications``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import enrolled_user_ids
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.services import notify
from virtual_classes.data import LiveClassData, RecordingData, Viewer
from virtual_classes.models import LiveClass, Recording
from virtual_classes.selectors.classes import live_class_data, recording_data
from virtual_classes.selectors.permissions import (
    changeable,
    live_class_row,
    may_change,
)
from virtual_classes.signals import class_scheduled

MAX_REASON_CHARS = 500


class Scope:
    """Which classes a change applies to."""

    THIS = "this"
    FOLLOWING = "following"  # this one and the later ones of its series

    ALL = (THIS, FOLLOWING)


def _class_to_change(*, user: Viewer, live_class_id: int) -> LiveClass:
    """The class, locked; Forbidden, or Conflict when it can no longer change."""
    live_class = live_class_row(live_class_id=live_class_id)
    if not may_change(user=user, live_class=live_class):
        raise Forbidden(_("You can only change classes of courses you teach."))
    live_class = LiveClass.objects.select_for_update().get(pk=live_class.pk)
    if live_class.cancelled_at:
        raise Conflict(_("This class was cancelled."), code="cancelled")
    if live_class.ended_at:
        raise Conflict(_("This class has ended."), code="ended")
    if not changeable(live_class, timezone.now()):
        raise Conflict(
            _(
                "This class is already open to join: it can no longer be changed. "
                "End it from the classroom if it cannot take place."
            ),
            code="already_open",
        )
    return live_class


def _targets(live_class: LiveClass, scope: str) -> list[LiveClass]:
    """The class, and with FOLLOWING the later changeable classes of its series."""
    if scope not in Scope.ALL:
        raise Invalid(_("Choose which classes to change."), code="invalid_scope")
    if scope == Scope.THIS or live_class.series_id is None:
        return [live_class]
    now = timezone.now()
    later = (
        LiveClass.objects.select_for_update()
        .filter(series_id=live_class.series_id, starts_at__gt=live_class.starts_at)
        .order_by("starts_at")
    )
    return [live_class, *(c for c in later if changeable(c, now))]


def _class_path(live_class: LiveClass) -> str:
    return reverse("virtual_classes:detail", args=[live_class.pk])


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _moved(
    live_class: LiveClass, *, day_shift: dt.timedelta, new_time: dt.time
) -> dt.datetime:
    """The same move in Cairo wall-clock time (a series keeps its hour across DST)."""
    local = timezone.localtime(live_class.starts_at)
    return dt.datetime.combine(
        local.date() + day_shift, new_time, tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def live_class_update(
    *,
    user: Viewer,
    live_class_id: int,
    title: str,
    starts_at: dt.datetime,
    duration_min: int,
    capacity: int,
    join_early_min: int,
    cohort: str = "",
    description: str = "",
    start_audio_only: bool = True,
    scope: str = Scope.THIS,
) -> list[LiveClassData]:
    """Edit a class not yet open (with FOLLOWING: the rest of its series too, moved
    by the same days and to the same hour). Moving a class tells the enrolled.

    Refusals: Forbidden; Conflict ``cancelled``, ``ended``, ``already_open``;
    Invalid ``starts_in_past``, ``invalid_scope`` or a field out of range.
    """
    first = _class_to_change(user=user, live_class_id=live_class_id)
    if starts_at <= timezone.now():
        message = _("Choose a start time in the future.")
        raise Invalid(message, code="starts_in_past", fields={"starts_at": [message]})
    targets = _targets(first, scope)
    old_start = timezone.localtime(first.starts_at)
    new_start = timezone.localtime(starts_at)
    day_shift = dt.timedelta(days=(new_start.date() - old_start.date()).days)
    moved: list[LiveClass] = []
    for live_class in targets:
        if live_class.pk == first.pk:
            new_starts_at = starts_at
        else:
            new_starts_at = _moved(
                live_class, day_shift=day_shift, new_time=new_start.time()
            )
        was = (live_class.starts_at, live_class.duration_min)
        live_class.title = title.strip()
        live_class.description = description.strip()
        live_class.starts_at = new_starts_at
        live_class.duration_min = duration_min
        live_class.capacity = capacity
        live_class.join_early_min = join_early_min
        live_class.cohort = cohort.strip()
        live_class.start_audio_only = start_audio_only
        if (live_class.starts_at, live_class.duration_min) != was:
            live_class.reminder_sent_at = None  # remind again, for the new time
            moved.append(live_class)
        try:
            live_class.full_clean()
        except ValidationError as error:
            raise Invalid.from_validation_error(error) from None
        live_class.save()
    for live_class in moved:
        class_scheduled.send(
            sender=LiveClass,
            live_class_id=live_class.pk,
            starts_at=live_class.starts_at,
        )
    if moved:
        _tell_rescheduled(first=moved[0], count=len(moved))
    return [live_class_data(c) for c in _reloaded(targets)]


@transaction.atomic
def live_class_cancel(
    *, user: Viewer, live_class_id: int, reason: str, scope: str = Scope.THIS
) -> list[LiveClassData]:
    """Cancel a class not yet open (with FOLLOWING: the rest of its series too), with
    a reason shown on its page; it stays listed as cancelled, nobody can join it, no
    reminder goes out, and the enrolled are told.

    Refusals: Forbidden; Conflict ``cancelled``, ``ended``, ``already_open``;
    Invalid ``reason_required``, ``invalid_scope``.
    """
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the class is cancelled: the trainees will see it.")
        raise Invalid(message, code="reason_required", fields={"reason": [message]})
    if len(reason) > MAX_REASON_CHARS:
        message = _("Keep the reason under %(count)s characters.") % {
            "count": MAX_REASON_CHARS
        }
        raise Invalid(message, code="reason_too_long", fields={"reason": [message]})
    first = _class_to_change(user=user, live_class_id=live_class_id)
    targets = _targets(first, scope)
    now = timezone.now()
    for live_class in targets:
        live_class.cancelled_at = now
        live_class.cancel_reason = reason
        # claimed, so the reminder sweep never reminds anyone of a cancelled class
        live_class.reminder_sent_at = live_class.reminder_sent_at or now
        live_class.save(
            update_fields=["cancelled_at", "cancel_reason", "reminder_sent_at"]
        )
    _tell_cancelled(first=first, count=len(targets))
    return [live_class_data(c) for c in _reloaded(targets)]


def _reloaded(classes: Sequence[LiveClass]) -> list[LiveClass]:
    return list(
        LiveClass.objects.select_related("instructor")
        .filter(pk__in=[c.pk for c in classes])
        .order_by("starts_at")
    )


def _tell_rescheduled(*, first: LiveClass, count: int) -> None:
    """One notice per change (a moved series is one notice, not one per class).
    Nothing personal in it: an SMS may carry it."""
    title, start = first.title, _when(first.starts_at)

    def compose() -> Notice:
        if count > 1:
            text = _(
                "The live class “%(title)s” and the following classes of its series "
                "were moved: the next one is now on %(start)s (Cairo time)."
            ) % {"title": title, "start": start}
        else:
            text = _(
                "The live class “%(title)s” was moved: it is now on %(start)s "
                "(Cairo time)."
            ) % {"title": title, "start": start}
        return Notice(
            subject=_("Live class moved: “%(title)s”") % {"title": title},
            text=text,
            link=_class_path(first),
        )

    notify(
        user_ids=enrolled_user_ids(course_id=first.course_id),
        kind="class_rescheduled",
        compose=compose,
    )


def _tell_cancelled(*, first: LiveClass, count: int) -> None:
    """The reason stays on the class page (the link): typed text is not sent by SMS."""
    title, start = first.title, _when(first.starts_at)

    def compose() -> Notice:
        if count > 1:
            text = _(
                "The live class “%(title)s” on %(start)s (Cairo time) and the "
                "following classes of its series are cancelled. The reason is on "
                "the class page."
            ) % {"title": title, "start": start}
        else:
            text = _(
                "The live class “%(title)s” on %(start)s (Cairo time) is cancelled. "
                "The reason is on the class page."
            ) % {"title": title, "start": start}
        return Notice(
            subject=_("Live class cancelled: “%(title)s”") % {"title": title},
            text=text,
            link=_class_path(first),
        )

    notify(
        user_ids=enrolled_user_ids(course_id=first.course_id),
        kind="class_cancelled",
        compose=compose,
    )


@transaction.atomic
def recording_publish_set(
    *, user: Viewer, recording_id: int, published: bool
) -> RecordingData:
    """Show a recording to the course's trainees, or withdraw it (the class's
    instructor, the course's instructors, ministry staff). NotFound, Forbidden."""
    recording = (
        Recording.objects.select_related("live_class", "live_class__instructor")
        .filter(pk=recording_id)
        .first()
    )
    if recording is None:
        raise NotFound(_("This recording does not exist."))
    if not may_change(user=user, live_class=recording.live_class):
        raise Forbidden(_("You can only publish recordings of classes you teach."))
    if recording.published != published:
        recording.published = published
        recording.save(update_fields=["published"])
    return recording_data(recording)
