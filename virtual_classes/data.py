"""What live classes hand across their boundary: frozen dataclasses and constants.

Services and selectors return these (never a model); views, the API, the consumer,
the Wagtail hooks and other apps read them. Times are aware datetimes; the consumer
and the serializers turn them into ISO 8601 on the wire.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from media_pipeline.data import VideoAssetData

# The person asking: the request's (or the socket's) user, signed in or not. Only
# the "who is asking" argument takes it; everyone else is named by id.
Viewer: TypeAlias = AbstractBaseUser | AnonymousUser


class ParticipantRole:
    INSTRUCTOR = "instructor"
    TRAINEE = "trainee"
    OBSERVER = "observer"  # ministry staff and the course's other instructors

    MODERATING = frozenset({INSTRUCTOR, OBSERVER})


class AttendanceSource:
    """Where an attendance interval comes from (AttendanceInterval.source)."""

    CLASSROOM = "classroom"
    JITSI = "jitsi"


# --- classes ----------------------------------------------------------------------


@dataclass(frozen=True)
class LiveClassData:
    id: int
    course_id: int
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    join_opens_at: dt.datetime
    join_early_min: int
    duration_min: int
    instructor_id: int
    instructor_name: str
    ended_at: dt.datetime | None
    chat_muted: bool
    url: str
    capacity: int = 500
    cohort: str = ""
    start_audio_only: bool = True
    series_id: int | None = None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True)
class RecordingData:
    live_class_id: int
    live_class_title: str
    video_asset_id: int
    recorded_on: dt.datetime
    id: int = 0
    published: bool = True


@dataclass(frozen=True)
class TaughtClassData:
    """A class in the instructor's "my classes": may this viewer change it?"""

    live_class: LiveClassData
    course_title: str
    may_change: bool  # not started, not cancelled, and the viewer may schedule it
    has_ended: bool


@dataclass(frozen=True)
class MyClassesData:
    upcoming: tuple[TaughtClassData, ...]
    past: tuple[TaughtClassData, ...]


@dataclass(frozen=True)
class TaughtRecordingData:
    """A recording of a class the viewer teaches, with its video's state."""

    recording: RecordingData
    course_title: str
    status: str  # the media pipeline's state (pending, processing, ready, failed)
    status_label: str
    playable: bool


@dataclass(frozen=True)
class ClassPageData:
    """One class as its page shows it to one viewer who may take part."""

    live_class: LiveClassData
    role: str
    is_open: bool  # inside the join window now
    has_ended: bool  # ended by the instructor or past its scheduled end
    may_see_attendance: bool
    recordings: tuple[RecordingData, ...]

    @property
    def is_instructor(self) -> bool:
        return self.role == ParticipantRole.INSTRUCTOR


@dataclass(frozen=True)
class CourseClassData:
    """A class not yet over, as the course page shows it to one viewer."""

    live_class: LiveClassData
    may_join: bool  # the viewer takes part: enrolled, teaching or observing
    is_open: bool  # inside the join window now


@dataclass(frozen=True)
class PlayableRecording:
    recording: RecordingData
    asset: VideoAssetData


@dataclass(frozen=True)
class ReminderSent:
    """One class whose reminder went out, and to how many people."""

    live_class_id: int
    title: str
    recipients: int


# --- the classroom ----------------------------------------------------------------


@dataclass(frozen=True)
class Admission:
    """Someone let into the classroom of one class, with their role in it."""

    live_class_id: int
    user_id: int
    name: str
    role: str

    @property
    def is_instructor(self) -> bool:
        return self.role == ParticipantRole.INSTRUCTOR

    @property
    def is_moderating(self) -> bool:
        """The instructor and observers (they get live presence deltas)."""
        return self.role in ParticipantRole.MODERATING


@dataclass(frozen=True)
class ChatMessageData:
    id: int
    user_id: int
    name: str
    text: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class HandData:
    user_id: int
    name: str
    raised_at: dt.datetime


@dataclass(frozen=True)
class PollData:
    id: int
    question: str
    options: tuple[str, ...]
    tallies: tuple[int, ...]
    closed: bool


@dataclass(frozen=True)
class PresenceData:
    user_id: int
    name: str
    instructor: bool


@dataclass(frozen=True)
class ClassroomSnapshot:
    """Everything a (re)connecting client needs to draw the classroom."""

    live_class: LiveClassData
    messages: tuple[ChatMessageData, ...]
    hands: tuple[HandData, ...]
    poll: PollData | None
    my_vote: int | None  # the asking user's option in the open poll
    present: tuple[PresenceData, ...]
    removed: tuple[PresenceData, ...] = ()  # for the instructor and observers


# --- attendance -------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRowData:
    """One person who attended: first join, last leave (None while present)."""

    user_id: int
    name: str
    username: str
    first_joined_at: dt.datetime
    last_left_at: dt.datetime | None
    minutes: int
    instructor: bool


@dataclass(frozen=True)
class AbsenteeData:
    """A trainee enrolled in the class's course who never joined it."""

    user_id: int
    name: str
    username: str


# --- Jitsi ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomStatus:
    """What the classroom says about video: reachable or not, and how many are in."""

    available: bool
    participants: int | None


@dataclass(frozen=True)
class JoinData:
    """Everything the page needs to open the Jitsi room."""

    domain: str
    room: str
    jwt: str | None
    moderator: bool
    config_overwrite: Mapping[str, Any]
    interface_config_overwrite: Mapping[str, Any]
    video: RoomStatus
    websocket_path: str


@dataclass(frozen=True)
class JitsiEventData:
    id: int
    event_type: str
    status: str
    live_class_id: int | None = field(default=None)
