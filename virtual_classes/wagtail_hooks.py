"""Dashboard panel (upcoming live classes), the course page's live-classes section
and demo data, through the home and courses hooks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry
from lms.kernel.panels import DashboardPanel, nothing_until


@hooks.register("maharat_nav_entries")
def classes_nav_entries() -> list[NavEntry]:
    return [
        NavEntry(
            key="virtual_classes.schedule",
            label=_("Schedule a live class"),
            description=_("For a course you teach; the enrolled are reminded"),
            url_name="virtual_classes:schedule",
            shown_to=any_role(Role.INSTRUCTOR),
            section="teaching",
            order=20,
        ),
        NavEntry(
            key="virtual_classes.mine",
            label=_("My live classes"),
            description=_("Upcoming and past; edit, cancel, weekly series"),
            url_name="virtual_classes:mine",
            shown_to=any_role(Role.INSTRUCTOR),
            section="teaching",
            order=15,
        ),
        NavEntry(
            key="virtual_classes.recordings",
            label=_("Class recordings"),
            description=_("Their state; publish or withdraw them"),
            url_name="virtual_classes:recordings",
            shown_to=any_role(Role.INSTRUCTOR),
            section="teaching",
            order=25,
        ),
    ]


@hooks.register("maharat_dashboard_panels")
def upcoming_classes_panel(request) -> DashboardPanel | None:
    from virtual_classes.selectors import upcoming_classes_until

    classes, until = upcoming_classes_until(user=request.user)
    if not classes:
        # the slot's "none scheduled" is exact until a class comes within the window
        return nothing_until(until.timestamp())
    return DashboardPanel(
        slot="classes",
        template="virtual_classes/panel_upcoming.html",
        context={"classes": classes},
        order=10,
        valid_until=until.timestamp(),
    )


@hooks.register("maharat_course_sections")
def live_classes_section(*, request, course_id: int):
    """Upcoming classes (join button when open) and the recordings one may watch."""
    from courses.data import CourseSection
    from virtual_classes.selectors import (
        course_playable_recordings,
        course_upcoming_classes,
    )

    classes = course_upcoming_classes(course_id=course_id, user=request.user)
    recordings = course_playable_recordings(course_id=course_id, user=request.user)
    if not classes and not recordings:
        return None
    return CourseSection(
        template="virtual_classes/course_section.html",
        context={"classes": classes, "recordings": recordings},
        order=10,
    )


def seed_demo_class(stdout) -> None:
    """One class tomorrow at 18:00 Cairo time for the demo instructor's first course."""
    from django.utils import timezone

    from virtual_classes.services import demo_class_seed

    live_class, created = demo_class_seed(username="instructor")
    if live_class is None:
        stdout.write("virtual_classes: no demo course with an instructor; no class.")
    elif created:
        starts_at = timezone.localtime(live_class.starts_at)
        stdout.write(
            f"virtual_classes: demo class scheduled at {starts_at:%Y-%m-%d %H:%M}."
        )


seed_demo_class.order = 60
hooks.register("maharat_seed_demo", seed_demo_class)


@hooks.register("maharat_periodic")
def virtual_classes_send_due_reminders():
    """Reminders now due are sent; each class is claimed once, so reruns send nothing
    twice and a reminder whose deferred task was lost still goes out."""
    from virtual_classes.services import class_reminders_send, reminder_lead_min

    return class_reminders_send(within_min=reminder_lead_min())
