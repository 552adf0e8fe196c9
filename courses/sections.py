"""Sections that apps above courses add to the course page (live classes, ...).

An app registers a Wagtail hook named ``maharat_course_sections``: a callable taking
``request`` and ``course_id`` (keywords) and returning a `courses.data.CourseSection`
or None. The course page renders each section's template in `order`; it never
imports those apps (they sit above courses), the same way the dashboard takes its
panels (`lms.kernel.panels`).
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail import hooks

from courses.data import CourseSection

HOOK_NAME = "maharat_course_sections"

__all__ = ["HOOK_NAME", "CourseSection", "course_sections_for"]


def course_sections_for(*, request: HttpRequest, course_id: int) -> list[CourseSection]:
    """Every registered section for this viewer and course, in order."""
    sections = [
        section
        for hook in hooks.get_hooks(HOOK_NAME)
        if (section := hook(request=request, course_id=course_id)) is not None
    ]
    return sorted(sections, key=lambda s: s.order)
