"""Signals other apps may connect to (declared here, sent by courses.services)."""

from django.dispatch import Signal

# Sent once per (user, course), after the completion is committed, with
# user_id: int, course_id: int, completed_at: datetime.
course_completed = Signal()
