"""Scheduling classes, their reminders, and the demo class."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import course_get, course_list_for_instructor, enrolled_user_ids
from lms.kernel.errors import Forbidden, Invalid, NotFound
from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.services import notify
from virtual_classes.data import LiveClassData, ReminderSent, Viewer
from virtual_classes.models import LiveClass
from virtual_classes.selectors.classes import live_class_data
from virtual_classes.selectors.permissions import may_schedule_for, viewer_id
from virtual_classes.signals import class_scheduled

REMINDER_MIN = 60  # minutes before the start; VIRTUAL_CLASSES_REMINDER_MIN overrides


def reminder_lead_min() -> int:
    return int(getattr(settings, "VIRTUAL_CLASSES_REMINDER_MIN", REMINDER_MIN))


@transaction.atomic
def live_class_create(
    *,
    user: Viewer,
    course_id: int,
    title: str,
    starts_at: dt.datetime,
    duration_min: int = 60,
    capacity: int = 500,
    join_early_min: int = 15,
    cohort: str = "",
    description: str = "",
    start_audio_only: bool = True,
) -> LiveClassData:
    """Schedule a class for a course the user teaches (or any, for ministry staff);
    its reminder is queued once this commits (``jobs.py``).

    Refusals: Forbidden (not a course they teach), Invalid (``unknown_course``,
    ``starts_in_past``, or a field out of range).
    """
    instructor_id = course_for_scheduling(user=user, course_id=course_id)
    if starts_at <= timezone.now():
        message = _("Choose a start time in the future.")
        raise Invalid(message, code="starts_in_past", fields={"starts_at": [message]})
    live_class = live_class_save(
        LiveClass(
            course_id=course_id,
            instructor_id=instructor_id,
            title=title.strip(),
            starts_at=starts_at,
            duration_min=duration_min,
            capacity=capacity,
            join_early_min=join_early_min,
            cohort=cohort.strip(),
            description=description.strip(),
            start_audio_only=start_audio_only,
        )
    )
    return live_class_data(
        LiveClass.objects.select_related("instructor").get(pk=live_class.pk)
    )


def course_for_scheduling(*, user: Viewer, course_id: int) -> int:
    """The instructor's id if the user may schedule for this course: Invalid
    ``unknown_course`` (a field error), Forbidden (not a course they teach)."""
    instructor_id = viewer_id(user)
    try:
        course = course_get(course_id=course_id)
    except (ObjectDoesNotExist, NotFound):  # a wrong id in the body: a field error
        raise Invalid(
            _("This course does not exist."),
            code="unknown_course",
            fields={"course_id": [_("This course does not exist.")]},
        ) from None
    if instructor_id is None or not may_schedule_for(
        user=user, course_instructor_ids=course.instructor_ids
    ):
        raise Forbidden(_("You can only schedule classes for courses you teach."))
    return instructor_id


def live_class_save(live_class: LiveClass) -> LiveClass:
    """Validate and save a new class; its reminder is queued once this commits."""
    try:
        live_class.full_clean()
    except ValidationError as error:
        raise Invalid.from_validation_error(error) from None
    live_class.save()
    class_scheduled.send(
        sender=LiveClass, live_class_id=live_class.pk, starts_at=live_class.starts_at
    )
    return live_class


def class_reminders_send(*, within_min: int = REMINDER_MIN) -> list[ReminderSent]:
    """Remind enrolled trainees and the instructor once, shortly before each class.

    Each class is claimed once, so a duplicate run (the deferred task, the periodic
    sweep and the cron command may all run) sends nothing twice.
    """
    now = timezone.now()
    due = LiveClass.objects.filter(
        ended_at__isnull=True,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(minutes=within_min),
    )
    results: list[ReminderSent] = []
    for live_class in due:
        with transaction.atomic():
            claimed = LiveClass.objects.filter(
                pk=live_class.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another run took it
            sent = _remind(live_class)
        results.append(
            ReminderSent(
                live_class_id=live_class.pk, title=live_class.title, recipients=sent
            )
        )
    return results


def _remind(live_class: LiveClass) -> int:
    """One notice per enrolled trainee and the instructor, in each one's language and
    on each one's channel (lms.kernel.notifications: SMS, e-mail or the site)."""
    ids = {*enrolled_user_ids(course_id=live_class.course_id), live_class.instructor_id}
    start = timezone.localtime(live_class.starts_at).strftime("%Y-%m-%d %H:%M")

    def compose() -> Notice:
        return Notice(
            subject=_("Reminder: live class “%(title)s”") % {"title": live_class.title},
            text=_(
                "Your live class “%(title)s” starts at %(start)s (Cairo time). "
                "You can join %(minutes)s minutes early; video starts audio only "
                "to save data."
            )
            % {
                "title": live_class.title,
                "start": start,
                "minutes": live_class.join_early_min,
            },
            link=reverse("virtual_classes:detail", args=[live_class.pk]),
        )

    return notify(user_ids=sorted(ids), kind="class_reminder", compose=compose)


def demo_class_seed(
    *, username: str = "instructor"
) -> tuple[LiveClassData | None, bool]:
    """One class tomorrow at 18:00 Cairo time for the demo instructor's first course:
    (class, created); (None, False) when there is no such instructor or course.
    Idempotent (by title)."""
    instructor = get_user_model().objects.filter(username=username).first()
    courses = course_list_for_instructor(user=instructor) if instructor else []
    if instructor is None or not courses:
        return None, False
    course = courses[0]
    title = f"لقاء مباشر: {course.title}"
    existing = (
        LiveClass.objects.select_related("instructor")
        .filter(course_id=course.id, title=title)
        .first()
    )
    if existing:
        return live_class_data(existing), False
    local = timezone.localtime() + dt.timedelta(days=1)
    created = live_class_create(
        user=instructor,
        course_id=course.id,
        title=title,
        description="أسئلة وأجوبة مع المدرّب وتطبيق عملي.",
        starts_at=local.replace(hour=18, minute=0, second=0, microsecond=0),
        duration_min=60,
    )
    return created, True
