"""The demo lessons look like a course (issue #20): an illustration made for each
lesson, with alt text and a caption; the procedure, safety and tools blocks where the
trade calls for them; text long enough for the stated minutes; knowledge checks with
an explanation for every question and the right answers spread over every place;
short Latin URLs. The curricula are seeded once for the module (read-only tests)."""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from html import unescape

import pytest
from django.test import override_settings
from wagtail.images import get_image_model

from content.svg_check import svg_problems
from courses.models import CoursePage, LessonPage, ModulePage, TradePage
from courses.seed import seed_courses
from courses.seed.media import svg_path
from courses.seed_data import CURRICULA

# Reading speed for study text, with pictures and steps: 120-180 words per 5 minutes.
WORDS_PER_MINUTE = (24, 36)
URL_LIMIT = 60


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The curricula seeded once, committed, and the database restored afterwards
    (as tests/conftest.py's committed_db does)."""
    from django.db import connection

    from tests.conftest import _restore

    media = tmp_path_factory.mktemp("seed-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, DEMO_VIDEOS="clip"),
    ):
        snapshot = connection.creation.serialize_db_to_string()
        out = io.StringIO()
        try:
            seed_courses(out)
            yield out.getvalue()
        finally:
            _restore(connection, snapshot)


@pytest.fixture
def db(seeded, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def lessons():
    return list(LessonPage.objects.live().order_by("path"))


def blocks_of(lesson, kind):
    return [b for b in lesson.body if b.block_type == kind]


def words(lesson) -> int:
    """Words a trainee reads: text, headings, captions, steps, warnings, tools."""
    parts = []
    for block in lesson.body:
        value = block.value
        if block.block_type == "text":
            parts.append(re.sub(r"<[^>]+>", " ", unescape(value.source)))
        elif block.block_type == "heading":
            parts.append(value["text"])
        elif block.block_type == "image":
            parts.append(value["caption"])
        elif block.block_type == "procedure":
            parts += [value["title"], *(step["text"] for step in value["steps"])]
        elif block.block_type == "safety":
            parts += [value["title"], value["text"]]
        elif block.block_type == "tools":
            parts += [value["title"]]
            parts += [f"{item['name']} {item['note']}" for item in value["items"]]
    return len(" ".join(parts).split())


def video_minutes(lesson) -> int:
    for curriculum in CURRICULA:
        video = curriculum.video
        if video and lesson.url_path.endswith(
            f"/{curriculum.trade_slug}/{curriculum.course.slug}/{video.lesson}/"
        ):
            return video.minutes
    return 0


def questions():
    return [
        question
        for lesson in lessons()
        for block in blocks_of(lesson, "knowledge_check")
        for question in block.value["questions"]
    ]


def test_every_demo_lesson_has_an_svg_illustration_with_alt_text_and_caption(db):
    assert len(lessons()) == 28
    for lesson in lessons():
        figures = [b.value for b in blocks_of(lesson, "image")]
        assert figures, f"{lesson.title}: no illustration"
        for figure in figures:
            assert figure["image"].is_svg(), lesson.title
            assert len(figure["alt"]) >= 40, f"{lesson.title}: alt text too thin"
            assert figure["caption"], lesson.title
            assert figure["alt"] != figure["caption"]


def test_the_illustrations_are_small_safe_drawings_each_stored_once(db):
    names = set()
    for curriculum in CURRICULA:
        for path in svg_path(curriculum.trade_slug, "").glob("*.svg"):
            data = path.read_bytes()
            names.add(path)
            assert len(data) <= 4 * 1024, f"{path.name}: {len(data)} B"
            assert svg_problems(data) == [], path.name
            assert b'viewBox="0 0 640 360"' in data
    used = {
        block.value["image"].pk for lesson in lessons() for block in lesson.body
        if block.block_type == "image"
    }  # fmt: skip
    images = get_image_model().objects.all()
    assert images.count() == len(names) >= len(used)
    assert len({image.file_hash for image in images}) == images.count()


def test_the_trades_use_procedure_safety_and_tools_blocks_where_they_call_for_them(db):
    for course in CoursePage.objects.live():
        course_lessons = LessonPage.objects.live().descendant_of(course)
        kinds = Counter(b.block_type for lesson in course_lessons for b in lesson.body)
        with_steps = [
            lesson for lesson in course_lessons if blocks_of(lesson, "procedure")
        ]
        assert len(with_steps) >= 0.75 * len(course_lessons), course.title
        assert kinds["safety"] >= 3 and kinds["tools"] >= 1, course.title
    for module in ModulePage.objects.live().filter(slug="safety"):
        for lesson in LessonPage.objects.live().child_of(module):
            assert blocks_of(lesson, "safety"), f"{lesson.title}: no safety warning"
    procedure_steps_with_pictures = [
        step
        for lesson in lessons()
        for block in blocks_of(lesson, "procedure")
        for step in block.value["steps"]
        if step["image"]
    ]
    assert procedure_steps_with_pictures
    assert all(step["alt"] for step in procedure_steps_with_pictures)


def test_every_lesson_is_long_enough_for_its_stated_minutes(db):
    low, high = WORDS_PER_MINUTE
    for lesson in lessons():
        reading = lesson.estimated_minutes - video_minutes(lesson)
        assert reading >= 5, lesson.title
        rate = words(lesson) / reading
        assert low <= rate <= high, f"{lesson.title}: {rate:.1f} words a minute"


def test_every_check_question_has_an_explanation(db):
    found = questions()
    assert len(found) >= 28 * 3
    for question in found:
        assert len(question["explanation"].split()) >= 5, question["prompt"]
        assert 3 <= len(question["choices"]) <= 6


def test_right_answers_are_spread_evenly_over_the_choice_places(db):
    single = defaultdict(Counter)
    every = defaultdict(Counter)
    for question in questions():
        n = len(question["choices"])
        right = [i for i, c in enumerate(question["choices"]) if c["correct"]]
        every[n].update(right)
        if question["kind"] == "single":
            assert len(right) == 1
            single[n][right[0]] += 1
    for n, places in single.items():
        counts = [places[i] for i in range(n)]
        assert max(counts) - min(counts) <= 1, (n, counts)
    for n, places in every.items():
        assert all(places[i] for i in range(n)), (n, places)


def test_every_seeded_page_has_a_short_latin_url(db):
    pages = [*TradePage.objects.all(), *CoursePage.objects.all()]
    pages += [*ModulePage.objects.live(), *lessons()]
    for page in pages:
        url = page.get_url()
        assert re.fullmatch(r"[a-z0-9/-]+", url), url
        assert len(url) <= URL_LIMIT, url
    assert lessons()[0].get_url() == "/courses/tailoring/basics/measuring/tools/"


def test_the_seed_says_what_it_did_and_a_second_run_changes_nothing(seeded, db):
    assert "36 new illustrations" in seeded
    again = io.StringIO()
    with override_settings(DEMO_VIDEOS="clip"):
        seed_courses(again)
    assert "0 new, 0 brought up to date, 0 retired; 0 new illustrations" in (
        again.getvalue()
    )


def _strings(value):
    """Every string inside the curricula (dataclasses, lists, dicts, tuples)."""
    import dataclasses

    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def test_the_demo_lessons_write_numbers_as_the_interface_does():
    """The README's choice: Western digits in Arabic too (lms.kernel.formatting). The
    demo lessons follow it, so a lesson does not show ١٥٠ سم beside 15 دقيقة."""
    eastern = re.compile("[\u0660-\u0669\u066b\u066a]")
    mixed = [s[:60] for s in _strings(CURRICULA) if eastern.search(s)]
    assert mixed == []
