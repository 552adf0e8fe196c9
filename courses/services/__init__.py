"""Use cases that write, in one package by section.

- `enrolment`: enrol, leave;
- `progress`: a lesson opened, a video heartbeat;
- `checks`: a knowledge check answered: one try scored, counted, revealed or not;
- `batch`: the offline batch of progress events, each idempotent by its id;
- `completion`: live-class minutes, and the lesson and course completion rules.

Every progress write is idempotent: a replayed heartbeat, answer or client event
changes nothing. Completion is recorded once and announced by
`courses.signals.course_completed` after commit. Refusals are coded exceptions from
`lms.kernel.errors`; the API's one handler answers them.
"""

from courses.services.batch import EVENT_KINDS, progress_events_apply
from courses.services.checks import knowledge_check_score, knowledge_check_submit
from courses.services.completion import live_attendance_set
from courses.services.enrolment import enrollment_create, enrollment_leave
from courses.services.progress import (
    heartbeat_tolerance_s,
    lesson_open,
    video_heartbeat_record,
)

__all__ = [
    "EVENT_KINDS",
    "enrollment_create",
    "enrollment_leave",
    "heartbeat_tolerance_s",
    "knowledge_check_score",
    "knowledge_check_submit",
    "lesson_open",
    "live_attendance_set",
    "progress_events_apply",
    "video_heartbeat_record",
]
