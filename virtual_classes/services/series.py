"""Recurring classes: a series on chosen weekdays, for some weeks or until a date.

Each occurrence is a class of its own (reminders, classroom, attendance), so it can
be edited or cancelled alone, or with the rest of the series (``changes.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid
from virtual_classes.data import LiveClassData, Viewer
from virtual_classes.models import ClassSeries, LiveClass
from virtual_classes.selectors.classes import live_class_data
from virtual_classes.services.scheduling import course_for_scheduling, live_class_save

MAX_WEEKS = 52
MAX_OCCURRENCES = 100
MAX_SPAN = dt.timedelta(days=366)


def series_dates(
    *,
    first_day: dt.date,
    weekdays: Collection[int],
    weeks: int | None = None,
    until: dt.date | None = None,
) -> list[dt.date]:
    """The days of a series: from `first_day`, on `weekdays` (0 = Monday), for
    `weeks` weeks or until `until` (inclusive). Invalid when it makes no sense."""
    days = set(weekdays)
    if not days or not days <= set(range(7)):
        message = _("Choose at least one weekday.")
        raise Invalid(message, code="no_weekdays", fields={"weekdays": [message]})
    if (weeks is None) == (until is None):
        message = _("Give either a number of weeks or an end date.")
        raise Invalid(message, code="series_end", fields={"weeks": [message]})
    if weeks is not None:
        if not 1 <= weeks <= MAX_WEEKS:
            message = _("A series lasts from 1 to %(max)s weeks.") % {"max": MAX_WEEKS}
            raise Invalid(message, code="series_too_long", fields={"weeks": [message]})
        last = first_day + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    else:
        assert until is not None
        if until < first_day:
            message = _("The end date is before the first class.")
            raise Invalid(message, code="series_end", fields={"until": [message]})
        if until - first_day > MAX_SPAN:
            message = _("A series lasts a year at most.")
            raise Invalid(message, code="series_too_long", fields={"until": [message]})
        last = until
    dates = [
        first_day + dt.timedelta(days=n)
        for n in range((last - first_day).days + 1)
        if (first_day + dt.timedelta(days=n)).weekday() in days
    ]
    if not dates:
        message = _("No class falls on the chosen weekdays in that period.")
        raise Invalid(message, code="no_occurrences", fields={"weekdays": [message]})
    if len(dates) > MAX_OCCURRENCES:
        message = _("A series has %(max)s classes at most.") % {"max": MAX_OCCURRENCES}
        raise Invalid(message, code="series_too_long", fields={"weeks": [message]})
    return dates


@transaction.atomic
def live_class_series_create(
    *,
    user: Viewer,
    course_id: int,
    title: str,
    starts_at: dt.datetime,
    weekdays: Collection[int],
    weeks: int | None = None,
    until: dt.date | None = None,
    duration_min: int = 60,
    capacity: int = 500,
    join_early_min: int = 15,
    cohort: str = "",
    description: str = "",
    start_audio_only: bool = True,
) -> list[LiveClassData]:
    """Schedule a series: a class at the time of day of `starts_at` (Cairo time) on
    each chosen weekday from its date on. Every class is validated like a single
    one, and either all are scheduled or none.

    Refusals: those of ``live_class_create`` and of ``series_dates``.
    """
    instructor_id = course_for_scheduling(user=user, course_id=course_id)
    local = timezone.localtime(starts_at)
    dates = series_dates(
        first_day=local.date(), weekdays=weekdays, weeks=weeks, until=until
    )
    zone = timezone.get_current_timezone()
    starts = [dt.datetime.combine(day, local.time(), tzinfo=zone) for day in dates]
    if starts[0] <= timezone.now():
        message = _("Choose a start time in the future.")
        raise Invalid(message, code="starts_in_past", fields={"starts_at": [message]})
    series = ClassSeries.objects.create(
        course_id=course_id,
        instructor_id=instructor_id,
        title=title.strip(),
        weekdays=sorted(set(weekdays)),
    )
    created = [
        live_class_save(
            LiveClass(
                course_id=course_id,
                instructor_id=instructor_id,
                series=series,
                title=title.strip(),
                starts_at=start,
                duration_min=duration_min,
                capacity=capacity,
                join_early_min=join_early_min,
                cohort=cohort.strip(),
                description=description.strip(),
                start_audio_only=start_audio_only,
            )
        )
        for start in starts
    ]
    rows = LiveClass.objects.select_related("instructor").filter(
        pk__in=[c.pk for c in created]
    )
    return [live_class_data(c) for c in rows.order_by("starts_at")]
