"""Each trade's demonstration video: made from its illustrations read aloud in Arabic,
captioned, put in its lesson, and handed to the media queue, not transcoded while
`seed_demo` waits. The curricula are cut to the video lessons, their videos to one
slide (the full videos are minutes long; tests/media_pipeline/test_slideshow.py makes
a real one from two slides)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from asgiref.local import Local
from django.core.files.storage import default_storage

from courses import seed
from courses.models import LessonPage
from courses.seed.media import slide_svg
from courses.seed_data import CURRICULA
from media_pipeline import slideshow
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.skipif(
    bool(slideshow.tools_missing()),
    reason=f"needs {', '.join(slideshow.tools_missing())} (scripts/system_packages.sh)",
)


def video_lessons_only():
    cut = []
    for curriculum in CURRICULA:
        module_slug, lesson_slug = curriculum.video.lesson.split("/")
        module = next(m for m in curriculum.modules if m.slug == module_slug)
        lesson = next(x for x in module.lessons if x.slug == lesson_slug)
        slide = dataclasses.replace(
            curriculum.video.slides[0],
            narration=curriculum.video.slides[0].narration[:1],
        )
        cut.append(
            dataclasses.replace(
                curriculum,
                modules=(dataclasses.replace(module, lessons=(lesson,)),),
                video=dataclasses.replace(curriculum.video, slides=(slide,)),
            )
        )
    return tuple(cut)


@pytest.fixture
def database_queue(settings):
    """A backend that keeps tasks queued (the test settings run them at once)."""
    from django_tasks import task_backends

    def reset():
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)

    original = settings.TASKS
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "media"],
        }
    }
    reset()
    yield
    settings.TASKS = original
    reset()


@pytest.mark.django_db
def test_each_trade_gets_a_captioned_video_queued_for_the_worker(
    settings, tmp_path, monkeypatch, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.DEMO_VIDEOS = "narrated"
    settings.DEMO_VIDEO_CACHE_DIR = tmp_path
    monkeypatch.setattr(seed, "CURRICULA", video_lessons_only())
    with django_capture_on_commit_callbacks(execute=True):
        seed.seed_courses(io.StringIO())

    assets = VideoAsset.objects.order_by("pk")
    assert [a.title for a in assets] == [c.video.title for c in CURRICULA]
    assert {a.status for a in assets} == {VideoAsset.Status.UPLOADED}  # not waited for
    queued = DBTaskResult.objects.filter(queue_name="media")
    assert sorted(job.args_kwargs["args"][0] for job in queued) == [
        a.pk for a in assets
    ]
    for curriculum, asset in zip(CURRICULA, assets, strict=True):
        caption = asset.captions.get()
        assert caption.language == "ar"
        track = default_storage.open(caption.file.name).read().decode()
        assert curriculum.video.slides[0].narration[0] in track
        lesson = LessonPage.objects.get(
            url_path__endswith=f"/{curriculum.trade_slug}/basics/{curriculum.video.lesson}/"
        )
        kinds = [block.block_type for block in lesson.body]
        assert kinds[1] == "video" and lesson.video_asset_ids() == [asset.pk]
    assert len(list(tmp_path.glob("*.mp4"))) == 3  # made once, kept for the next run

    with django_capture_on_commit_callbacks(execute=True):
        seed.seed_courses(io.StringIO())
    assert VideoAsset.objects.count() == 3


@pytest.mark.django_db
def test_without_the_speech_and_drawing_tools_the_lessons_do_without_a_video(
    settings, tmp_path, monkeypatch
):
    settings.DEMO_VIDEOS = "narrated"
    settings.DEMO_VIDEO_CACHE_DIR = tmp_path
    monkeypatch.setattr(seed, "CURRICULA", video_lessons_only())
    monkeypatch.setattr(slideshow, "TOOLS", ("no-such-speech-tool",))
    out = io.StringIO()
    seed.seed_courses(out)
    assert "no demo video for tailoring" in out.getvalue()
    assert "no-such-speech-tool" in out.getvalue()
    assert not VideoAsset.objects.exists()
    assert all(not lesson.video_asset_ids() for lesson in LessonPage.objects.all())


def test_a_slide_is_the_illustration_under_its_arabic_heading():
    curriculum = CURRICULA[0]
    slide = curriculum.video.slides[0]
    svg = slide_svg(curriculum.trade_slug, slide).decode()
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" width="854" height="480"'
    )
    assert f">{slide.heading}</text>" in svg
    assert svg.count("<svg") == 2 and svg.count("</svg>") == 2
