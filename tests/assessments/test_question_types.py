"""Each kind's grading, validation and what the browser may see of it."""

import random

import pytest
from django.core.exceptions import ValidationError

from assessments.question_types import get_kind, kind_choices
from tests.assessments.conftest import KEYS


def clean(kind, data=None):
    return get_kind(kind).clean(data if data is not None else KEYS[kind])


def option_id(data, text):
    return next(o["id"] for o in data["options"] if o["text"] == text)


def test_every_issue_type_is_registered():
    codes = {code for code, _label in kind_choices()}
    assert {
        "single_choice",
        "multiple_response",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "short_answer",
        "essay",
    } <= codes


def test_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        get_kind("calculated")


def test_single_choice_grades_the_chosen_option():
    kind, data = get_kind("single_choice"), clean("single_choice")
    assert kind.grade(data, option_id(data, "فصل التيار")) == 1.0
    assert kind.grade(data, option_id(data, "تشغيل المروحة")) == 0.0
    assert kind.grade(data, None) == 0.0


def test_single_choice_without_a_correct_option_is_refused():
    with pytest.raises(ValidationError):
        clean("single_choice", {"options": [{"text": "أ"}, {"text": "ب"}]})


def test_single_choice_refuses_an_option_not_shown():
    kind, data = get_kind("single_choice"), clean("single_choice")
    with pytest.raises(ValidationError):
        kind.clean_response(data, {}, "not-an-option")


def test_multiple_response_gives_partial_credit_and_penalises_wrong_picks():
    kind, data = get_kind("multiple_response"), clean("multiple_response")
    glasses, gloves, sandal = (option_id(data, t) for t in ("نظارة", "قفازات", "صندل"))
    assert kind.grade(data, [glasses, gloves]) == 1.0
    assert kind.grade(data, [glasses]) == 0.5
    assert kind.grade(data, [glasses, gloves, sandal]) == 0.0


def test_multiple_response_weights_must_add_up_to_full_marks():
    with pytest.raises(ValidationError):
        clean(
            "multiple_response",
            {"options": [{"text": "a", "fraction": 0.5}, {"text": "b"}]},
        )


def test_true_false_grades_and_parses_form_values():
    kind, data = get_kind("true_false"), clean("true_false")
    assert kind.grade(data, kind.clean_response(data, {}, "false")) == 1.0
    assert kind.grade(data, kind.clean_response(data, {}, "true")) == 0.0
    with pytest.raises(ValidationError):
        kind.clean_response(data, {}, "maybe")


def test_matching_scores_each_pair_and_refuses_unknown_choices():
    kind, data = get_kind("matching"), clean("matching")
    public = kind.public(data, rng=random.Random(1), shuffle=True)
    condenser, evaporator = (p["id"] for p in data["pairs"])
    half = {condenser: "يطرد الحرارة", evaporator: "يشحن البطارية"}
    assert kind.grade(data, kind.clean_response(data, public, half)) == 0.5
    assert kind.grade(data, kind.correct_response(data)) == 1.0
    with pytest.raises(ValidationError):
        kind.clean_response(data, public, {condenser: "جواب مخترع"})


def test_ordering_grades_positions_and_never_shows_the_right_order():
    kind, data = get_kind("ordering"), clean("ordering")
    right = [i["id"] for i in data["items"]]
    for seed in range(30):
        shown = kind.public(data, rng=random.Random(seed), shuffle=False)["items"]
        assert [i["id"] for i in shown] != right
    assert kind.grade(data, right) == 1.0
    swapped = [right[1], right[0], right[2], right[3]]
    assert kind.grade(data, swapped) == 0.5
    with pytest.raises(ValidationError):
        kind.clean_response(data, {}, right[:3])


def test_numeric_accepts_tolerance_units_and_eastern_arabic_digits():
    kind, data = get_kind("numeric"), clean("numeric")
    assert kind.grade(data, kind.clean_response(data, {}, "٦٧")) == 1.0
    assert kind.grade(data, kind.clean_response(data, {}, "69.5 psi")) == 1.0
    assert kind.grade(data, kind.clean_response(data, {}, "4.69 bar")) == 1.0
    assert kind.grade(data, kind.clean_response(data, {}, "72")) == 0.0


def test_numeric_refuses_text_and_unknown_units():
    kind, data = get_kind("numeric"), clean("numeric")
    with pytest.raises(ValidationError):
        kind.clean_response(data, {}, "ثمانية وستون")
    with pytest.raises(ValidationError):
        kind.clean_response(data, {}, "68 kPa")


def test_numeric_with_required_unit_gives_nothing_without_it():
    data = clean("numeric", {**KEYS["numeric"], "unit_required": True})
    assert get_kind("numeric").grade(data, "68") == 0.0
    assert get_kind("numeric").grade(data, "68 psi") == 1.0


@pytest.mark.parametrize(
    "typed",
    ["الضاغط", "الضَّاغِط", "ضاغط", "  الضاغط  ", "الـضـاغـط"],
)
def test_short_answer_matches_after_arabic_normalisation(typed):
    kind, data = get_kind("short_answer"), clean("short_answer")
    assert kind.grade(data, kind.clean_response(data, {}, typed)) == 1.0


def test_short_answer_wrong_word_scores_nothing():
    kind, data = get_kind("short_answer"), clean("short_answer")
    assert kind.grade(data, "المكثف") == 0.0


def test_short_answer_wildcard_and_partial_credit():
    data = clean(
        "short_answer",
        {
            "answers": [
                {"text": "الضاغط", "fraction": 1},
                {"text": "موتور*", "fraction": 0.5},
            ]
        },
    )
    assert get_kind("short_answer").grade(data, "موتور الضغط") == 0.5


def test_essay_is_left_for_a_person():
    kind = get_kind("essay")
    assert kind.auto_graded is False
    assert kind.grade(clean("essay"), "شرح طويل") is None


@pytest.mark.parametrize(
    "kind_code",
    [k for k in KEYS if k not in ("true_false", "numeric", "short_answer", "essay")],
)
def test_public_view_carries_no_answer_key(kind_code):
    kind = get_kind(kind_code)
    data = clean(kind_code)
    public = kind.public(data, rng=random.Random(3), shuffle=True)
    text = str(public)
    assert "fraction" not in text and "answer" not in text and "feedback" not in text


def test_images_on_options_reach_the_public_view_as_urls():
    data = clean(
        "single_choice",
        {
            "options": [
                {"image": "assessments/images/a.png", "fraction": 1},
                {"text": "لا"},
            ]
        },
    )
    public = get_kind("single_choice").public(data, rng=random.Random(0), shuffle=False)
    assert public["options"][0]["image_url"].endswith("assessments/images/a.png")
