"""Arabic-normalised search over published courses and lessons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import LessonPage
from courses.search import normalise_arabic, normalise_query
from tests.courses.conftest import lessons_of, text_block


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("الخياطه", "الخياطة"),
        ("أداة", "اداه"),
        ("إصلاح", "اصلاح"),
        ("آلة", "الة"),
        ("مستوى", "مستوي"),
        ("الْخِيَاطَة", "الخياطة"),
        ("الخيـــاطة", "الخياطة"),
    ],
)
def test_spelling_variants_normalise_alike(variant, canonical):
    assert normalise_query(variant) == normalise_query(canonical)


def test_index_text_carries_the_word_without_its_article():
    assert "تكييف" in normalise_arabic("أساسيات التكييف").split()


@pytest.fixture
def published(tree):
    course = tree.course(
        title="أساسيات الخياطة",
        modules=1,
        lessons=1,
        body=lambda: [text_block("صيانة جهاز التكييف المنزلي")],
    )
    course.save_revision().publish()
    for page in course.get_descendants():
        page.specific.save_revision().publish()
    return course


def _titles(client, q):
    response = client.get(reverse("courses:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_ta_marbuta_variant(client, published):
    assert "أساسيات الخياطة" in _titles(client, "الخياطه")


def test_search_finds_word_without_article(client, published):
    lesson = lessons_of(published)[0]
    assert lesson.title in _titles(client, "تكييف")


def test_search_ignores_unpublished_lessons(client, published):
    lesson = lessons_of(published)[0]
    lesson.unpublish()
    assert lesson.title not in _titles(client, "تكييف")
    assert LessonPage.objects.filter(pk=lesson.pk).exists()


def test_search_never_matches_knowledge_check_answers(tree):
    from courses.search import stream_text
    from tests.courses.conftest import check_block

    course = tree.course(modules=1, lessons=1, body=lambda: [check_block("k")])
    lesson = lessons_of(course)[0]
    assert "أخضر" not in stream_text(lesson.body)
