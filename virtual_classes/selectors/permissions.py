"""Who may do what in live classes: the one place for these rules.

The HTML views, the API, the consumer and the services all ask here. Functions that
take a ``LiveClass`` are for this app's services and selectors; the others take ids.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import course_get, enrollment_exists
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Forbidden, NotFound
from virtual_classes.data import ParticipantRole, Viewer
from virtual_classes.models import ClassRemoval, LiveClass


def viewer_id(user: Viewer | None) -> int | None:
    """The signed-in user's id, or None for a visitor."""
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


def participant_role(*, user: Viewer | None, live_class: LiveClass) -> str | None:
    """The user's role in this class, or None if they may not take part in it.

    The class's instructor (moderator); ministry staff and the course's other
    instructors (observers); enrolled trainees.
    """
    uid = viewer_id(user)
    if uid is None:
        return None
    if uid == live_class.instructor_id:
        return ParticipantRole.INSTRUCTOR
    if user_has_role(user, Role.MINISTRY_STAFF):
        return ParticipantRole.OBSERVER
    if user_has_role(user, Role.INSTRUCTOR):
        if uid in course_get(course_id=live_class.course_id).instructor_ids:
            return ParticipantRole.OBSERVER
    if enrollment_exists(user=user, course_id=live_class.course_id):
        return ParticipantRole.TRAINEE
    return None


def live_class_row(*, live_class_id: int) -> LiveClass:
    """The class (with its instructor), or NotFound."""
    live_class = (
        LiveClass.objects.select_related("instructor").filter(pk=live_class_id).first()
    )
    if live_class is None:
        raise NotFound(_("This class does not exist."))
    return live_class


def role_required(*, user: Viewer | None, live_class: LiveClass) -> str:
    """The user's role, or Forbidden for someone who may not take part."""
    role = participant_role(user=user, live_class=live_class)
    if role is None:
        raise Forbidden(_("Only trainees enrolled in the course can join."))
    return role


def entry_check(
    *, user: Viewer | None, live_class: LiveClass, now: dt.datetime | None = None
) -> str:
    """May this user enter the class (classroom or video) now? Their role, or a coded
    refusal: ``forbidden``, ``removed``, ``cancelled``, ``ended`` or
    ``outside_window`` (all 403)."""
    role = role_required(user=user, live_class=live_class)
    removed = ClassRemoval.objects.filter(
        live_class=live_class, user_id=viewer_id(user) or 0
    )
    if removed.exists():
        raise Forbidden(
            _("The instructor removed you from this class."), code="removed"
        )
    if live_class.cancelled_at:
        raise Forbidden(_("This class was cancelled."), code="cancelled")
    if live_class.ended_at:
        raise Forbidden(_("This class has ended."), code="ended")
    if not live_class.is_open_at(now or timezone.now()):
        raise Forbidden(
            _(
                "The class is not open now: you can join from %(minutes)s minutes "
                "before it starts until it ends."
            )
            % {"minutes": live_class.join_early_min},
            code="outside_window",
        )
    return role


def may_schedule(*, user: Viewer | None) -> bool:
    """Instructors and ministry staff schedule classes (instructors: for the courses
    they teach, checked when scheduling)."""
    return user_has_role(user, Role.INSTRUCTOR) or user_has_role(
        user, Role.MINISTRY_STAFF
    )


def may_schedule_for(
    *, user: Viewer | None, course_instructor_ids: tuple[int, ...]
) -> bool:
    """Ministry staff for any course; an instructor for a course they teach."""
    return user_has_role(user, Role.MINISTRY_STAFF) or (
        viewer_id(user) in course_instructor_ids
    )


def may_see_attendance(*, user: Viewer | None, live_class: LiveClass) -> bool:
    """The class's instructor and ministry staff."""
    uid = viewer_id(user)
    return uid is not None and (
        uid == live_class.instructor_id or user_has_role(user, Role.MINISTRY_STAFF)
    )


def may_see_recordings(*, user: Viewer | None, course_id: int) -> bool:
    """Enrolled trainees, the course's class instructors and ministry staff."""
    uid = viewer_id(user)
    if uid is None:
        return False
    return (
        user_has_role(user, Role.MINISTRY_STAFF)
        # the trainee's case first: the course page has answered it already
        or enrollment_exists(user=user, course_id=course_id)
        or LiveClass.objects.filter(course_id=course_id, instructor_id=uid).exists()
    )


def may_change(*, user: Viewer | None, live_class: LiveClass) -> bool:
    """The class's instructor, the course's instructors and ministry staff."""
    if viewer_id(user) == live_class.instructor_id:
        return True
    course = course_get(course_id=live_class.course_id)
    return may_schedule_for(user=user, course_instructor_ids=course.instructor_ids)


def changeable(live_class: LiveClass, now: dt.datetime) -> bool:
    """Not cancelled, not ended, and its join window not open yet."""
    return (
        live_class.cancelled_at is None
        and live_class.ended_at is None
        and now < live_class.join_opens_at
    )
