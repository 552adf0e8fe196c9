"""Reads about live classes (no writes): for pages, the API, the consumer, the
dashboard and the course page, and the permission rules they all share.

``from virtual_classes import selectors; selectors.x(...)`` reaches every public read:

- ``classes``: one class (``live_class_get``, ``class_page_get``), the dashboard's
  ``upcoming_classes_for_user`` (and ``upcoming_classes_until``: until when that
  list stays exact), ``classes_for_course``, ``course_upcoming_classes``;
- ``classroom``: ``classroom_admit`` and what a client draws (``classroom_snapshot``,
  ``recent_messages``, ``hand_queue``, ``open_poll``, ``presence_list``);
- ``attendance``: ``attendance_minutes``, ``attendance_rows``,
  ``attendance_absentees``, ``present_user_ids``;
- ``recordings``: ``recordings_for_course``, ``course_playable_recordings``;
- ``teaching``: the instructor's workplace (``classes_taught``, ``recordings_taught``);
- ``permissions``: who may take part, schedule, change a class, see attendance or
  recordings.
"""

from virtual_classes.selectors.attendance import (
    attendance_absentees,
    attendance_minutes,
    attendance_rows,
    present_user_ids,
)
from virtual_classes.selectors.classes import (
    class_page_get,
    classes_for_course,
    course_upcoming_classes,
    live_class_get,
    upcoming_classes_for_user,
    upcoming_classes_until,
)
from virtual_classes.selectors.classroom import (
    classroom_admit,
    classroom_snapshot,
    hand_queue,
    open_poll,
    presence_list,
    recent_messages,
)
from virtual_classes.selectors.permissions import may_schedule, may_see_recordings
from virtual_classes.selectors.recordings import (
    course_playable_recordings,
    recordings_for_course,
)
from virtual_classes.selectors.teaching import classes_taught, recordings_taught

__all__ = [
    "attendance_minutes",
    "attendance_absentees",
    "attendance_rows",
    "class_page_get",
    "classes_for_course",
    "classes_taught",
    "classroom_admit",
    "classroom_snapshot",
    "course_playable_recordings",
    "course_upcoming_classes",
    "hand_queue",
    "live_class_get",
    "may_schedule",
    "may_see_recordings",
    "open_poll",
    "presence_list",
    "present_user_ids",
    "recent_messages",
    "recordings_for_course",
    "recordings_taught",
    "upcoming_classes_for_user",
    "upcoming_classes_until",
]
