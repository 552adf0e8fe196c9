"""A signed-in person of every role, as the workplace tests walk them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from lms.accounts.services import staff_directorate_assign
from tests.courses.conftest import TreeBuilder

# role name of the tests → (group, is_staff, directorate)
PEOPLE = {
    "head_office_staff": ("ministry_staff", True, "HQ"),
    "directorate_staff": ("ministry_staff", True, "13"),
    "instructor": ("instructor", False, ""),  # teaching one course
    "instructor_without_course": ("instructor", False, ""),
    "assessor": ("assessor", False, ""),
    "content_editor": ("content_editor", True, ""),
    "content_reviewer": ("content_reviewer", True, ""),
    "trainee": ("trainee", False, ""),
}


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language and leaves the one it found: a
    request activates its page's language in this thread and nothing deactivates
    it, so after an English page `reverse()` outside a request gave "/en/..." and
    the next test read the English dashboard (test_workplace then test_nav_hook)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def person(make_user, db):
    """`person("directorate_staff")`: a user of that kind (superuser: "superuser")."""

    def make(kind: str):
        if kind == "superuser":
            return make_user(None, is_staff=True, is_superuser=True)
        group, is_staff, directorate = PEOPLE[kind]
        user = make_user(group, is_staff=is_staff)
        if directorate:
            staff_directorate_assign(user_id=user.pk, directorate_code=directorate)
        if kind == "instructor":
            course = TreeBuilder().course()
            course.instructors.add(user)
            course.save()
        return user

    return make
