"""The demo curricula: shape, Arabic content, idempotency."""

from __future__ import annotations

import io

import pytest

from courses.models import CoursePage, LessonPage, ModulePage, TradePage
from courses.seed import seed_courses


@pytest.mark.django_db
def test_seed_creates_three_trades_with_full_curricula_once():
    seed_courses(io.StringIO())
    counts = (
        TradePage.objects.count(),
        CoursePage.objects.count(),
        ModulePage.objects.count(),
        LessonPage.objects.count(),
    )
    seed_courses(io.StringIO())
    assert counts == (
        TradePage.objects.count(),
        CoursePage.objects.count(),
        ModulePage.objects.count(),
        LessonPage.objects.count(),
    )
    assert counts[0] == 3
    for course in CoursePage.objects.live():
        modules = ModulePage.objects.child_of(course).live()
        assert modules.count() >= 3
        for module in modules:
            lessons = LessonPage.objects.child_of(module).live()
            assert lessons.count() >= 3
            for lesson in lessons:
                kinds = [b.block_type for b in lesson.body]
                assert kinds[0] == "text" and kinds[-1] == "knowledge_check"
                assert any("\u0600" <= ch <= "\u06ff" for ch in lesson.title)
