"""What the app hands its pages and other apps: frozen dataclasses, no models.

Imports nothing of the app. A national ID in here is the full one: pages mask it by
viewer (`{% national_id %}`), and nothing puts it in a URL or a log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import get_language


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


@dataclass(frozen=True)
class WorkshopData:
    id: int
    code: str
    name_ar: str
    name_en: str
    seats: int
    occupation_codes: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_ar


@dataclass(frozen=True)
class TradeData:
    """An occupation a centre tests: its unified code and title."""

    code: str
    title_ar: str
    title_en: str

    @property
    def title(self) -> str:
        return self.title_en if _english() else self.title_ar


@dataclass(frozen=True)
class CentreData:
    code: str
    name_ar: str
    name_en: str
    governorate_code: str
    governorate_name: str
    address_ar: str
    address_en: str
    latitude: float
    longitude: float
    phone: str
    trades: tuple[TradeData, ...]
    workshops: tuple[WorkshopData, ...] = ()
    upcoming_sessions: int = 0
    distance_km: float | None = None  # from the point "near me" was asked from

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_ar

    @property
    def address(self) -> str:
        return self.address_en if _english() else self.address_ar

    @property
    def seats(self) -> int:
        return sum(w.seats for w in self.workshops)


@dataclass(frozen=True)
class DocumentData:
    id: int
    kind: str
    kind_label: str
    original_name: str
    content_type: str
    size_bytes: int
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class DocumentFile:
    """Where a document is in the private store, for the view that hands it out."""

    storage_name: str
    content_type: str
    original_name: str


@dataclass(frozen=True)
class EventData:
    """One step of an application's history, as its timeline shows it."""

    action: str
    label: str
    state_after: str
    at: dt.datetime
    actor_name: str
    reason: str


@dataclass(frozen=True)
class PathStep:
    """One step of the tracked path (item 5): reached or not, and since when (the
    first event of its kind)."""

    key: str  # submitted, accepted, booked, tested, result, certificate
    label: str
    done: bool
    current: bool
    at: dt.datetime | None = None
    note: str = ""  # e.g. "Not passed" on the result step


@dataclass(frozen=True)
class PathData:
    """Where an application stands on submitted → … → certificate."""

    steps: tuple[PathStep, ...]
    stopped: str = ""  # why the path ended early (withdrawn, no-show), else ""


@dataclass(frozen=True)
class CourseOffer:
    """A completed course whose occupation and level the person may be tested in
    through the course route (no documents, accepted at once)."""

    course_id: int
    course_title: str
    occupation_code: str
    occupation_title: str
    level_code: str
    level_name: str


@dataclass(frozen=True)
class CentreFigures:
    """A test centre's day-of-test figures over a period (the reports' centre
    table and the API): first events of each kind, by the centre of the seat held."""

    centre_code: str
    centre_name: str
    governorate_code: str
    tested: int
    no_shows: int
    results: int
    passes: int


@dataclass(frozen=True)
class SessionData:
    id: int
    centre_code: str
    centre_name: str
    centre_address: str
    governorate_code: str
    workshop_name: str
    occupation_code: str
    occupation_title: str
    level_code: str
    level_name: str
    starts_at: dt.datetime
    duration_min: int
    seats: int
    seats_taken: int
    status: str
    status_label: str
    assessor_names: tuple[str, ...] = ()
    cancel_reason: str = ""

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_min)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class BookingData:
    id: int
    status: str
    status_label: str
    booked_at: dt.datetime
    session: SessionData
    may_change: bool = False  # the applicant may still move or cancel it


@dataclass(frozen=True)
class RosterRow:
    """A booking on a session's list for its directorate's staff (and, item 4, its
    assessors)."""

    reference: str
    applicant_name: str
    national_id: str
    status: str
    status_label: str
    booked_at: dt.datetime


@dataclass(frozen=True)
class SessionPage:
    sessions: tuple[SessionData, ...]
    page: int
    has_next: bool


@dataclass(frozen=True)
class ApplicationRow:
    """An application in a staff list: enough to pick it, nothing personal beyond
    the name (the national ID is on its page)."""

    reference: str
    state: str
    state_label: str
    applicant_name: str
    occupation_code: str
    occupation_title: str
    level_name: str
    governorate_code: str
    governorate_name: str
    experience_years: int
    submitted_at: dt.datetime
    id: int = 0


@dataclass(frozen=True)
class ApplicationData:
    reference: str
    state: str
    state_label: str
    kind: str
    applicant_id: int
    applicant_name: str
    national_id: str
    occupation_code: str
    occupation_title: str
    level_code: str
    level_name: str
    governorate_code: str
    governorate_name: str
    experience_years: int
    experience_summary: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by_id: int | None
    return_reason: str
    reschedules: int
    reapply_after: dt.date | None
    documents: tuple[DocumentData, ...] = ()
    events: tuple[EventData, ...] = ()
    booking: BookingData | None = None

    @property
    def is_open(self) -> bool:
        return self.state in (
            "submitted",
            "returned",
            "accepted",
            "booked",
            "tested",
            "passed",
        )

    @property
    def may_withdraw(self) -> bool:
        return self.state in ("submitted", "returned", "accepted") or (
            self.state == "booked" and bool(self.booking and self.booking.may_change)
        )


@dataclass(frozen=True)
class ApplicationPage:
    """One page of a staff list, newest or oldest first, by keyset."""

    rows: tuple[ApplicationRow, ...]
    counts: dict[str, int] = field(default_factory=dict)  # by state, whole scope
    next_cursor: str = ""
    previous_cursor: str = ""


@dataclass(frozen=True)
class SlipData:
    """What the appointment slip carries: no full national ID (a slip is carried
    about and may be lost), the token only inside the QR's address."""

    reference: str
    applicant_name: str
    national_id_masked: str
    occupation_code: str
    occupation_title: str
    level_name: str
    session: SessionData
    check_url: str
    status: str


@dataclass(frozen=True)
class SlipCheckData:
    """What the centre sees after scanning a slip."""

    reference: str
    applicant_name: str
    national_id: str  # shown masked or whole by the viewer's role
    booking_status: str
    booking_status_label: str
    session: SessionData
    valid: bool  # an active booking of a session that is not cancelled
