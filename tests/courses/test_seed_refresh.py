"""The seed keeps the demo up to date without touching an editor's work: its own
pages follow the curriculum (renamed, rewritten, retired), an edited page stays."""

from __future__ import annotations

import dataclasses
import io

import pytest

from courses import seed
from courses.models import CoursePage, LessonPage, ModulePage
from courses.seed_data import CURRICULA


def one_lesson_curricula(title: str | None = None):
    """The tailoring curriculum cut to its first lesson (a fast seed)."""
    first = CURRICULA[0]
    module = first.modules[0]
    lesson = module.lessons[0]
    if title:
        lesson = dataclasses.replace(lesson, title=title)
    module = dataclasses.replace(module, lessons=(lesson,))
    return (dataclasses.replace(first, modules=(module,), video=None),)


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(seed, "CURRICULA", one_lesson_curricula())
    return monkeypatch


def run() -> str:
    out = io.StringIO()
    seed.seed_courses(out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_course_of_the_old_slugs_is_renamed_and_its_old_lessons_retired(small):
    from courses.seed.blocks import block_id

    run()
    course = CoursePage.objects.get(slug="basics")
    course.slug = "tailoring-basics"  # as the seed made it before issue #20
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    old_module = course.add_child(
        instance=ModulePage(title="أخذ مقاسات الجسم", slug="measurements")
    )
    old_module.save_revision().publish()
    old_lesson = old_module.add_child(
        instance=LessonPage(
            title="أدوات القياس",
            slug="tools",
            body=[{"type": "text", "id": block_id("old"), "value": "<p>قديم</p>"}],
        )
    )
    old_lesson.save_revision().publish()

    said = run()

    course = CoursePage.objects.get(pk=course.pk)
    assert course.slug == "basics" and course.live
    assert LessonPage.objects.get(pk=old_lesson.pk).live is False
    assert ModulePage.objects.get(pk=old_module.pk).live is False
    live = LessonPage.objects.live().descendant_of(course)
    assert [lesson.url for lesson in live] == [
        "/courses/tailoring/basics/measuring/tools/"
    ]
    assert "2 retired" in said


@pytest.mark.django_db
def test_a_changed_curriculum_rewrites_the_seeds_own_lesson(small):
    run()
    lesson = LessonPage.objects.get(slug="tools")
    small.setattr(seed, "CURRICULA", one_lesson_curricula(title="أدوات القياس"))
    said = run()
    fresh = LessonPage.objects.get(pk=lesson.pk)
    assert fresh.title == "أدوات القياس" and not fresh.has_unpublished_changes
    assert "1 brought up to date" in said
    assert "0 brought up to date" in run()  # and only once


@pytest.mark.django_db
def test_a_lesson_an_editor_changed_is_left_alone(small, make_user):
    run()
    editor = make_user(role=None, is_superuser=True)
    lesson = LessonPage.objects.get(slug="tools")
    lesson.title = "أدوات القياس (نسخة المحرر)"
    lesson.save_revision(user=editor).publish(user=editor)
    small.setattr(seed, "CURRICULA", one_lesson_curricula(title="عنوان جديد"))
    run()
    assert LessonPage.objects.get(pk=lesson.pk).title == "أدوات القياس (نسخة المحرر)"
