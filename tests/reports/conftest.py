"""A test-only fact source with known counts, fed through the real hook and refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from wagtail import hooks

from lms.accounts.services import staff_directorate_assign
from lms.reports.facts import HOOK_NAME
from lms.reports.selectors import ReportFilters, ReportScope
from lms.reports.services import facts_refresh
from tests.courses.conftest import TreeBuilder

H1_2025 = ReportFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1))
EVERYTHING = ReportScope()


@pytest.fixture(autouse=True)
def _arabic():
    """Arabic is the default language; a request in English must not leak into
    the next test through the thread's active language."""
    with translation.override("ar"):
        yield


def fact(metric, month, gov, occ, level, gender, disabled, course, value):
    return {
        "metric": metric,
        "month": dt.date.fromisoformat(month),
        "governorate_code": gov,
        "occupation_code": occ,
        "level_code": level,
        "gender": gender,
        "has_disability": disabled,
        "course_id": course,
        "value": value,
    }


def known_facts(c1: int, c2: int) -> list[dict]:
    """Course c1 is 7531/assistant, c2 is 7422/skilled (see README of the tests)."""
    a, s, t = "assistant", "skilled", "technician"
    return [
        # enrolments (additive)
        fact("enrolments", "2025-01-01", "01", "7531", a, "female", False, c1, 10),
        fact("enrolments", "2025-02-01", "01", "7531", a, "male", False, c1, 7),
        fact("enrolments", "2025-02-01", "02", "7422", s, "female", True, c2, 3),
        fact("enrolments", "2025-03-01", "12", "7422", s, "male", False, c2, 20),
        fact("enrolments", "2025-07-01", "01", "7531", a, "male", False, c1, 100),
        fact("enrolments", "2024-01-01", "01", "7531", a, "female", False, c1, 6),
        fact("enrolments", "2024-03-01", "12", "7422", s, "male", False, c2, 8),
        # active trainees (distinct people per month): all-courses rollup rows ...
        fact("active_trainees", "2025-01-01", "01", "", "", "female", False, None, 4),
        fact("active_trainees", "2025-01-01", "01", "", "", "male", False, None, 6),
        fact("active_trainees", "2025-02-01", "01", "", "", "female", False, None, 9),
        fact("active_trainees", "2025-02-01", "02", "", "", "male", False, None, 2),
        # ... and per-course rows (a person in two courses counts in each)
        fact("active_trainees", "2025-01-01", "01", "7531", a, "female", False, c1, 4),
        fact("active_trainees", "2025-01-01", "01", "7422", s, "female", False, c2, 6),
        fact("active_trainees", "2025-02-01", "01", "7531", a, "female", False, c1, 9),
        # exams
        fact("exam_attempts", "2025-04-01", "01", "7531", a, "male", False, c1, 20),
        fact("exam_passes", "2025-04-01", "01", "7531", a, "male", False, c1, 15),
        fact("exam_attempts", "2025-04-01", "12", "7422", s, "male", False, c2, 8),
        fact("exam_passes", "2025-04-01", "12", "7422", s, "male", False, c2, 3),
        fact("exam_attempts", "2025-05-01", "12", "7422", t, "female", False, c2, 10),
        fact("exam_passes", "2025-05-01", "12", "7422", t, "female", False, c2, 10),
        # registry (not per course)
        fact(
            "certificates_issued", "2025-01-01", "01", "7531", a, "female", 0, None, 12
        ),
    ]


@pytest.fixture
def ministry_staff(make_user):
    """Head-office staff: every directorate's figures (staff with no directorate
    are refused by every staff tool, lms.accounts.selectors.staff_scope)."""
    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code="HQ")
    return user


@pytest.fixture
def directorate_staff(make_user):
    """Staff of Dakahlia's directorate (governorate 12)."""
    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code="12")
    return user


@pytest.fixture
def courses(db, instructor):
    tree = TreeBuilder()
    from registry.models import Occupation, SkillLevel

    c1 = tree.course(
        slug="sewing",
        modules=0,
        occupation=Occupation.objects.get(code="7531"),
        skill_level=SkillLevel.objects.get(code="assistant"),
    )
    c1.instructors.add(instructor)
    c1.save_revision().publish()
    c2 = tree.course(
        slug="phones",
        modules=0,
        occupation=Occupation.objects.get(code="7422"),
        skill_level=SkillLevel.objects.get(code="skilled"),
    )
    return c1, c2


@pytest.fixture
def source_rows(courses):
    c1, c2 = courses
    return known_facts(c1.pk, c2.pk)


@pytest.fixture
def known(source_rows):
    """Register the test source on the real hook and refresh the summary."""

    def source(*, since=None):
        return iter(source_rows)

    with hooks.register_temporarily(HOOK_NAME, source):
        facts_refresh()
        yield source_rows
