"""Moodle's own format test fixtures (tests/assessments/fixtures/moodle/, GPL-3.0+)
import question for question as Moodle's tests say: types, texts, fractions,
feedback, tolerances and categories; an unsupported type is refused alone."""

from pathlib import Path

import pytest

from assessments.importers import ParsedQuestion, ParseProblem, parse_file
from assessments.services import questions_import

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"


def parsed(name: str) -> list:
    path = FIXTURES / name
    return parse_file(name=path.name, content=path.read_bytes())


def by_name(name: str) -> dict[str, ParsedQuestion]:
    questions = [q for q in parsed(name) if isinstance(q, ParsedQuestion)]
    return {q.name: q for q in questions}


def test_gift_fixture_imports_nine_questions_as_moodle_says(bank):
    """import.feature: "Importing 9 questions from file" (two are the same)."""
    report = questions_import(bank_id=bank.pk, parsed=parsed("questions.gift.txt"))
    assert report.errors == () and report.created == 9
    assert bank.questions.filter(name="2-08 TSL").count() == 2
    again = questions_import(bank_id=bank.pk, parsed=parsed("questions.gift.txt"))
    assert (again.created, again.unchanged) == (0, 9)


def test_gift_essay_and_match_as_in_giftformat_test():
    q = by_name("questions.gift.txt")
    assert (q["Q8"].kind, q["Q8"].stem) == ("essay", "How are you?")
    match = q["Moodle activities"]
    assert match.kind == "matching"
    assert match.stem == "Match the activity to the description."
    assert [p["prompt"] for p in match.data["pairs"]] == [
        "An activity supporting asynchronous discussions.",
        "A teacher asks a question and specifies a choice of multiple responses.",
        "A bank of record entries which participants can add to.",
        "A collection of web pages that anyone can add to or edit.",
    ]
    assert [p["answer"] for p in match.data["pairs"]] == [
        "Forum",
        "Choice",
        "Database",
        "Wiki",
    ]
    assert match.data["distractors"] == ["Chat"]


def test_gift_multichoice_single_and_multi_as_in_giftformat_test():
    questions = [
        q for q in parsed("questions.gift.txt") if isinstance(q, ParsedQuestion)
    ]
    single = next(q for q in questions if q.name == "Q2")
    assert single.kind == "single_choice"
    assert [o["text"] for o in single.data["options"]] == ["yellow", "red", "blue"]
    assert [o["fraction"] for o in single.data["options"]] == [1, 0, 0]
    assert [o["feedback"] for o in single.data["options"]] == [
        "right; good!",
        "wrong, it's yellow",
        "wrong, it's yellow",
    ]
    multi = next(q for q in questions if q.name == "colours")
    assert multi.kind == "multiple_response"
    assert [o["text"] for o in multi.data["options"]] == [
        "yellow",
        "red",
        "off-beige",
        "blue",
    ]
    assert [o["fraction"] for o in multi.data["options"]] == [0.5, -1, 0.5, -1]
    assert [o["feedback"] for o in multi.data["options"]] == [
        "right; good!",
        "wrong",
        "right; good!",
        "wrong",
    ]


def test_gift_multi_tricky_is_multiple_response_as_moodle_decides():
    """test_import_multichoice_multi_tricky: no "=" → several choices (single 0)."""
    text = "::colours:: What's between? {~%100%yellow # right; good! ~%-50%red # wrong}"
    (item,) = parse_file(name="q.gift", content=text.encode())
    assert item.kind == "multiple_response"
    assert [o["fraction"] for o in item.data["options"]] == [1.0, -0.5]


def test_gift_numerical_shortanswer_truefalse_as_in_giftformat_test():
    q = by_name("questions.gift.txt")
    numeric = q["Q5"]
    assert numeric.kind == "numeric"
    assert [
        (a["value"], a["fraction"], a["feedback"]) for a in numeric.data["answers"]
    ] == [
        (3.0, 1.0, ""),
        ("*", 0.0, "Completely wrong"),
    ]
    assert numeric.data["answers"][0]["tolerance"] == 2
    short = q["Shortanswer"]
    assert short.kind == "short_answer"
    assert [
        (a["text"], a["fraction"], a["feedback"]) for a in short.data["answers"]
    ] == [
        ("Frog", 1.0, "Good!"),
        ("Cat", 0.5, "What is it with Moodlers and cats?"),
        ("*", 0.0, "Completely wrong"),
    ]
    tf = q["Q1"]
    assert tf.kind == "true_false" and tf.data["answer"] is False
    assert tf.data["feedback_true"] == "42 is the Ultimate Answer."
    assert tf.data["feedback_false"] == "You gave the right answer."
    assert tf.explanation == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    assert q["2-08 TSL"].data["answer"] is True


def test_gift_questions_in_category():
    questions = parsed("questions_in_category.gift.txt")
    assert len(questions) == 4
    assert {q.topic for q in questions} == {"Default for New Features"}
    greeting = next(q for q in questions if q.name == "Greeting")
    assert greeting.stem == "Listen to this greeting:\nWhat language is being spoken?"
    assert [o["fraction"] for o in greeting.data["options"]] == [0, 1, 0, 0]
    acronym = next(q for q in questions if q.name == "Moodle acronym")
    assert acronym.kind == "true_false" and acronym.data["answer"] is True
    assert acronym.stem == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    )


def test_xml_nested_categories_keep_their_paths(bank):
    questions_import(
        bank_id=bank.pk, parsed=parsed("nested_categories_with_questions.xml")
    )
    topics = dict(bank.questions.values_list("name", "topic__name"))
    assert topics == {
        "Iota Question": "Iota",
        "Kappa Essay Question": "Iota/Kappa",
        "Kappa Question": "Iota/Kappa",
        "Lambda Question": "Iota/Kappa/Lambda",
        "Mu Question": "Iota/Mu",
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "categories_reverse_order.xml",
            {
                "Tau Question": ("Sigma/Tau", "essay"),
                "Sigma Question": ("Sigma", "short_answer"),
            },
        ),
        ("export_category.xml", {"Alpha Question": ("Alpha", "true_false")}),
    ],
)
def test_xml_category_fixtures(name, expected):
    got = {n: (q.topic, q.kind) for n, q in by_name(name).items()}
    assert got == expected


def test_xml_invalid_grades_are_refused_as_moodle_does(bank):
    report = questions_import(
        bank_id=bank.pk, parsed=parsed("error_invalid_grades.xml")
    )
    assert report.created == 0
    ((position, reason),) = report.errors
    assert position == 1 and "33%" in reason


def test_xmlformat_test_questions():
    items = parsed("xmlformat_test_questions.xml")
    assert isinstance(items[0], ParseProblem) and items[0].skipped  # description
    q = {i.name: i for i in items if isinstance(i, ParsedQuestion)}
    essay = q["An essay"]
    assert essay.kind == "essay" and essay.stem == "Write something."
    assert essay.data["grader_info"] == "Grade generously!"
    assert essay.explanation == "I hope you wrote something interesting."
    match = q["Matching question"]
    assert [(p["prompt"], p["answer"]) for p in match.data["pairs"]] == [
        ("A", "a"),
        ("B", "b"),
        ("C", "c"),
    ]
    assert match.data["distractors"] == ["d"]
    assert match.data["shuffle"] is False
    assert match.data["feedback"] == {
        "correct": "Well done.",
        "partial": "Not entirely.",
        "incorrect": "Completely wrong!",
    }
    assert match.data["hints"] == ["Hint 1"]  # the second hint is empty
    mc = q["Multiple choice question"]
    assert mc.kind == "multiple_response" and mc.points == 2
    assert [o["fraction"] for o in mc.data["options"]] == [0, 1, 0, 1]
    assert mc.data["hints"] == ["Hint 1.", "Hint 2."]
    assert mc.data["feedback"]["partial"] == "Your answer is partially correct."
    num = q["Numerical question"]
    answers = [
        (a["value"], a["tolerance"], a["fraction"], a["feedback"])
        for a in num.data["answers"]
    ]
    assert answers == [
        ("42", "0.001", 1.0, "Well done!"),
        ("13", "1", 0.0, "What were you thinking?!"),
        ("*", "0", 0.0, "Completely wrong."),
    ]
    short = q["Short answer question"]
    assert [
        (a["text"], a["fraction"], a["feedback"]) for a in short.data["answers"]
    ] == [
        ("Beta", 1.0, "Well done!"),
        ("*", 0.0, "Doh!"),
    ]
    assert short.data["case_sensitive"] is False
    assert short.data["hints"] == ["Hint 1", "Hint 2"]
    tf = q["True false question"]
    assert tf.data["answer"] is True
    assert (tf.data["feedback_true"], tf.data["feedback_false"]) == (
        "Well done!",
        "Doh!",
    )
    assert tf.explanation == "General feedback: You should have chosen true."


def test_xmlformat_test_questions_import_and_refuse_only_the_cloze(bank):
    report = questions_import(
        bank_id=bank.pk, parsed=parsed("xmlformat_test_questions.xml")
    )
    assert report.created == 6
    assert len(report.skipped) == 1
    ((position, reason),) = report.errors
    assert position == 8
    assert "Simple multianswer" in reason and "“cloze”" in reason
    numeric = bank.questions.get(name="Numerical question").current_version.data
    from assessments.question_types import get_kind

    kind = get_kind("numeric")
    assert kind.grade(numeric, "42.0005") == 1.0
    assert kind.feedback_for(numeric, "12.5") == ["What were you thinking?!"]
    assert kind.feedback_for(numeric, "7") == ["Completely wrong."]
