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


@pytest.mark.django_db
def test_demo_courses_are_at_the_level_the_demo_exams_test():
    from assessments.seeding import DEMO_LEVEL

    seed_courses(io.StringIO())
    assert {c.skill_level.code for c in CoursePage.objects.all()} == {DEMO_LEVEL}


@pytest.mark.django_db
def test_the_demo_video_goes_into_the_first_lesson_once():
    from media_pipeline.models import VideoAsset
    from media_pipeline.seeding import DEMO_VIDEO_TITLE

    seed_courses(io.StringIO())  # before the clip is ready: no video block
    first = LessonPage.objects.get(
        url_path__endswith="/tailoring/basics/measuring/tools/"
    )
    assert "video" not in [b.block_type for b in first.body]

    asset = VideoAsset.objects.create(
        title=DEMO_VIDEO_TITLE, status=VideoAsset.Status.READY
    )
    seed_courses(io.StringIO())
    seed_courses(io.StringIO())
    first = LessonPage.objects.get(
        url_path__endswith="/tailoring/basics/measuring/tools/"
    )
    videos = [b for b in first.body if b.block_type == "video"]
    assert len(videos) == 1 and videos[0].value["video"].pk == asset.pk
    assert first.live and not first.has_unpublished_changes
    assert first.video_asset_ids() == [asset.pk]
