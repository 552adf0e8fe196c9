"""The course page's sections hook: apps above courses add sections, courses never
imports them, and the page renders the same without any."""

from __future__ import annotations

import pytest
from wagtail import hooks

from courses.data import CourseSection
from courses.sections import HOOK_NAME


@pytest.fixture
def course(tree):
    course = tree.course(modules=1, lessons=1)
    course.save_revision().publish()
    return course


@pytest.fixture
def no_sections(monkeypatch):
    """As if no app above courses were installed."""
    monkeypatch.setitem(hooks._hooks, HOOK_NAME, [])


def test_course_page_renders_with_no_section_registered(
    client, trainee, course, no_sections
):
    assert list(hooks.get_hooks(HOOK_NAME)) == []
    client.force_login(trainee)
    response = client.get(course.url)
    assert response.status_code == 200
    assert "الدرس 1.1" in response.content.decode()
    assert response.context["sections"] == []


def test_registered_sections_render_in_order_with_their_context(
    client, trainee, course, no_sections
):
    seen = []

    def second(*, request, course_id):
        seen.append((request.user, course_id))
        return CourseSection(
            template="courses/panels/my_courses.html",
            context={"rows": []},
            order=20,
        )

    def first(*, request, course_id):
        return CourseSection(template="courses/panels/my_courses.html", order=5)

    def nothing(*, request, course_id):
        return None

    client.force_login(trainee)
    with (
        hooks.register_temporarily(HOOK_NAME, second),
        hooks.register_temporarily(HOOK_NAME, nothing),
        hooks.register_temporarily(HOOK_NAME, first),
    ):
        response = client.get(course.url)
    assert response.status_code == 200
    assert [s.order for s in response.context["sections"]] == [5, 20]
    assert seen == [(trainee, course.pk)]
