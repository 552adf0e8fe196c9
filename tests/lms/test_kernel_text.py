"""The platform's one Arabic folding (lms.kernel.text): search and answer matching
both use it, so a spelling a trainee finds in search also matches in an exam."""

import pytest

from lms.kernel.text import normalise_arabic, normalise_query, strip_article


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("الخياطه", "الخياطة"),
        ("إصلاح", "اصلاح"),
        ("مستشفى", "مستشفي"),
        ("التَّكْيِيف", "التكييف"),
        ("تـكـييـف", "تكييف"),
    ],
)
def test_spelling_variants_fold_to_the_same_text(variant, canonical):
    assert normalise_query(variant) == normalise_query(canonical)


def test_the_index_keeps_each_word_with_and_without_its_article():
    assert normalise_arabic("أساسيات التكييف").split() == [
        "اساسيات",
        "التكييف",
        "تكييف",
    ]


def test_a_short_word_keeps_what_looks_like_an_article():
    assert strip_article("الم") == "الم" and strip_article("للحام") == "حام"


def test_empty_text_folds_to_nothing():
    assert normalise_arabic("") == "" and normalise_query(None) == ""


def test_courses_search_and_assessments_fold_with_the_kernel():
    from assessments.text import answer_matches
    from courses import search

    assert search.normalise_query is normalise_query
    assert answer_matches("الضاغط", "ضاغط") and answer_matches("الضاغط", "الضّاغط")
