"""The app's writes (use cases): what its pages and other apps may call."""

from skilltests.services.applications import (
    application_accept,
    application_resubmit,
    application_return,
    application_submit,
    application_withdraw,
)
from skilltests.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from skilltests.services.centres import centres_load
from skilltests.services.course_route import application_from_course
from skilltests.services.documents import Upload
from skilltests.services.reminders import booking_reminders_send
from skilltests.services.sessions import (
    cancelled_sessions_release,
    session_cancel,
    session_publish,
)

__all__ = [
    "Upload",
    "application_accept",
    "application_from_course",
    "application_resubmit",
    "application_return",
    "application_submit",
    "application_withdraw",
    "booking_cancel",
    "booking_create",
    "booking_reminders_send",
    "booking_reschedule",
    "cancelled_sessions_release",
    "centres_load",
    "session_cancel",
    "session_publish",
]
