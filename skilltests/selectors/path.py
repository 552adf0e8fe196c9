"""The tracked path (issue #21 item 5): where an application stands on submitted →
accepted → booked → tested → result → certificate, each step dated by the first
event of its kind; and the tests a person's completed courses open (the course
route, an application of kind `course`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from courses.selectors import courses_completed_by
from lms.kernel.errors import NotFound
from registry.selectors import occupation_get, skill_level_get
from skilltests.data import ApplicationData, CourseOffer, PathData, PathStep
from skilltests.models import OPEN_STATES, Application, EventAction
from skilltests.selectors.centres import occupations_tested

# (step, the event that dates it); the order is the path's.
STEPS: tuple[tuple[str, str], ...] = (
    ("submitted", EventAction.SUBMITTED),
    ("accepted", EventAction.ACCEPTED),
    ("booked", EventAction.BOOKED),
    ("tested", EventAction.TESTED),
    ("result", EventAction.RESULT),
    ("certificate", EventAction.CERTIFIED),
)

# How far along the path each state is (index into STEPS); the states that end
# the path early take the furthest step their events reached.
REACHED = {
    "submitted": 0,
    "returned": 0,
    "accepted": 1,
    "booked": 2,
    "tested": 3,
    "passed": 4,
    "failed": 4,
    "certified": 5,
}


def _labels() -> dict[str, str]:
    return {
        "submitted": _("Application submitted"),
        "accepted": _("Accepted"),
        "booked": _("Seat booked"),
        "tested": _("Tested"),
        "result": _("Result"),
        "certificate": _("Certificate issued"),
    }


def _notes(application: ApplicationData) -> dict[str, str]:
    notes = {}
    if application.state == "returned":
        notes["submitted"] = _("Returned to you for changes")
    if application.state in ("passed", "certified"):
        notes["result"] = _("Passed")
    elif application.state == "failed":
        notes["result"] = _("Not passed")
    if application.kind == "course":
        notes["accepted"] = _("At once, after your course")
    return notes


def _stopped(application: ApplicationData) -> str:
    if application.state == "withdrawn":
        return _("You withdrew this application.")
    if application.state == "no_show":
        return _("You did not come to the test.")
    return ""


def application_path(*, application: ApplicationData) -> PathData:
    """The path of an application loaded with its events (pure: no query)."""
    first: dict[str, dt.datetime] = {}
    for event in sorted(application.events, key=lambda e: e.at):
        first.setdefault(event.action, event.at)
    if application.state in REACHED:
        reached = REACHED[application.state]
    else:  # withdrawn, no_show: as far as the events went
        reached = max(
            (i for i, (_key, action) in enumerate(STEPS) if action in first),
            default=0,
        )
    # Where they stand: the last step reached, unless the path ended early.
    current = reached if application.state in REACHED else -1
    labels, notes = _labels(), _notes(application)
    steps = tuple(
        PathStep(
            key=key,
            label=labels[key],
            done=i <= reached,
            current=i == current,
            at=first.get(action) if i <= reached else None,
            note=notes.get(key, ""),
        )
        for i, (key, action) in enumerate(STEPS)
    )
    return PathData(steps=steps, stopped=_stopped(application))


def course_offers_for(*, applicant_id: int) -> list[CourseOffer]:
    """A test for each occupation and level of a course the person completed, that
    some centre tests and for which they have no open application yet."""
    tested = {t.code for t in occupations_tested()}
    open_occupations = set(
        Application.objects.filter(
            applicant_id=applicant_id, state__in=OPEN_STATES
        ).values_list("occupation__code", flat=True)
    )
    offers: dict[tuple[str, str], CourseOffer] = {}
    for course in courses_completed_by(user_id=applicant_id):
        key = (course.occupation_code, course.level_code)
        if key in offers or course.occupation_code not in tested:
            continue
        if course.occupation_code in open_occupations:
            continue
        try:
            occupation = occupation_get(code=course.occupation_code)
            level = skill_level_get(code=course.level_code)
        except NotFound:
            continue
        offers[key] = CourseOffer(
            course_id=course.id,
            course_title=course.title,
            occupation_code=occupation.code,
            occupation_title=occupation.title,
            level_code=level.code,
            level_name=level.name,
        )
    return list(offers.values())
