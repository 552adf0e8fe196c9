"""The app's models: centres (reference data), applications (with documents and
history), sessions and bookings."""

from skilltests.models.applications import (
    MAX_EXPERIENCE_YEARS,
    OPEN_STATES,
    AppendOnly,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationState,
    DocumentKind,
    EventAction,
)
from skilltests.models.centres import TestCentre, Workshop
from skilltests.models.sessions import (
    ACTIVE_BOOKING,
    SEAT_HOLDING,
    Booking,
    BookingStatus,
    SessionStatus,
    TestSession,
)

__all__ = [
    "ACTIVE_BOOKING",
    "MAX_EXPERIENCE_YEARS",
    "OPEN_STATES",
    "SEAT_HOLDING",
    "AppendOnly",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationKind",
    "ApplicationState",
    "Booking",
    "BookingStatus",
    "DocumentKind",
    "EventAction",
    "SessionStatus",
    "TestCentre",
    "TestSession",
    "Workshop",
]
