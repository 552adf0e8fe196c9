"""Skill tests' hooks: the workplace's entries, the periodic sweep (reminders, a
cancelled session's seats) and the demo data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry


def _waiting(user: Any) -> int:
    """The badge: applications submitted in the staff member's directorate."""
    from skilltests.selectors import applications_waiting_count

    return applications_waiting_count(staff_id=user.pk)


@hooks.register("maharat_nav_entries")
def skilltests_nav_entries() -> list[NavEntry]:
    """Each entry shows to the roles its page serves (staff pages: ministry staff;
    the page itself refuses staff not placed in a directorate, with the reason)."""
    return [
        NavEntry(
            key="skilltests.mine",
            label=_("Skill-test applications"),
            description=_("Apply for a skill-level test, book a seat, follow it"),
            url_name="skilltests:home",
            shown_to=any_role(Role.TRAINEE),
            section="learning",
            order=25,
        ),
        NavEntry(
            key="skilltests.applications",
            label=_("Skill-test applications to check"),
            description=_("Accept applications or return them with what to change"),
            url_name="skilltests:staff_applications",
            shown_to=any_role(Role.MINISTRY_STAFF),
            section="registry",
            count=_waiting,
            order=5,
        ),
        NavEntry(
            key="skilltests.sessions",
            label=_("Test sessions"),
            description=_("Publish sessions in your centres, follow the bookings"),
            url_name="skilltests:staff_sessions",
            shown_to=any_role(Role.MINISTRY_STAFF),
            section="registry",
            order=6,
        ),
        NavEntry(
            key="skilltests.day",
            label=_("Test day"),
            description=_(
                "Your sessions' rosters: check candidates in, score the practical "
                "part, record who did not come"
            ),
            url_name="skilltests:day_sessions",
            shown_to=any_role(Role.ASSESSOR, Role.MINISTRY_STAFF),
            section="assessment",
            order=5,
        ),
    ]


@hooks.register("maharat_periodic")
def skilltests_send_reminders() -> int:
    """Reminders before the day; each booking is claimed once, so overlapping
    sweeps send nothing twice."""
    from skilltests.services import booking_reminders_send

    return booking_reminders_send()


@hooks.register("maharat_periodic")
def skilltests_release_cancelled_sessions() -> int:
    """Seats still booked in a cancelled session (a cancellation cut short) go back
    to their applicants, who are told."""
    from skilltests.services import cancelled_sessions_release

    return cancelled_sessions_release()


def _seed(stdout: Any) -> None:
    from skilltests.seeding import seed_skilltests

    seed_skilltests(stdout)


_seed.order = 70  # type: ignore[attr-defined]  # after users (home) and assessments
hooks.register("maharat_seed_demo", _seed)


@hooks.register("maharat_course_sections")
def skilltests_course_section(*, request: Any, course_id: int) -> Any:
    """On a course the trainee completed: the way to its skill test (item 5)."""
    if not request.user.is_authenticated:
        return None
    from courses.data import CourseSection
    from courses.selectors import course_completed_at
    from skilltests.selectors import course_offers_for

    # the course page has read the completion already: no query for the others
    if course_completed_at(user=request.user, course_id=course_id) is None:
        return None
    offers = [
        o
        for o in course_offers_for(applicant_id=request.user.pk)
        if o.course_id == course_id
    ]
    if not offers:
        return None
    return CourseSection(
        template="skilltests/course_section.html",
        context={"offer": offers[0]},
        order=20,
    )


@hooks.register("maharat_report_facts")
def skilltests_report_facts(*, since: Any = None) -> Any:
    """Applications, decisions, tests, no-shows, results, certificates and waits
    (issue #21 item 6), from the applications' events."""
    from skilltests.selectors import report_facts

    return report_facts(since=since)
