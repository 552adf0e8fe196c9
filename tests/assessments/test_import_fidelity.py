"""The Moodle fidelity defects of issue #17, each as it was seen: numeric questions
with wrong-answer feedback, format markers shown to trainees, nested categories
flattened, hints and feedback dropped, identical questions collapsed."""

import pytest

from assessments.importers import ParsedQuestion, ParseProblem, parse_file
from assessments.question_types import get_kind
from assessments.services import questions_import


def gift(text: str) -> list:
    return parse_file(name="q.gift", content=text.encode())


def xml(body: str) -> list:
    content = f'<?xml version="1.0" encoding="UTF-8"?><quiz>{body}</quiz>'
    return parse_file(name="q.xml", content=content.encode())


def only(items: list) -> ParsedQuestion:
    questions = [i for i in items if isinstance(i, ParsedQuestion)]
    assert len(questions) == 1, items
    return questions[0]


def test_gift_numeric_with_wrong_answer_feedback_imports(bank):
    item = only(gift("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}"))
    assert item.kind == "numeric"
    assert item.data["answers"] == [
        {"value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""},
        {
            "value": "*",
            "tolerance": 0.0,
            "fraction": 0.0,
            "feedback": "Completely wrong",
        },
    ]
    report = questions_import(bank_id=bank.pk, parsed=[item])
    assert report.created == 1 and report.errors == ()
    data = bank.questions.get().current_version.data
    kind = get_kind("numeric")
    assert kind.grade(data, "4.5") == 1.0
    assert kind.grade(data, "9") == 0.0
    assert kind.feedback_for(data, "9") == ["Completely wrong"]
    assert kind.feedback_for(data, "3") == []


def test_gift_numeric_ranges_and_weighted_answers_with_feedback():
    item = only(gift("Range {#1..5}"))
    assert item.data["answers"][0] | {"feedback": ""} == {
        "value": 3.0,
        "tolerance": 2.0,
        "fraction": 1.0,
        "feedback": "",
    }
    item = only(
        gift("Pi? {#=3.1416:0.0001#Exact =%50%3.14:0.01#Close ~#Not pi at all}")
    )
    data = get_kind("numeric").clean(item.data)
    assert [(a["value"], a["fraction"], a["feedback"]) for a in data["answers"]] == [
        (3.1416, 1.0, "Exact"),
        (3.14, 0.5, "Close"),
        ("*", 0.0, "Not pi at all"),
    ]
    kind = get_kind("numeric")
    assert kind.grade(data, "3.141") == 0.5
    assert kind.feedback_for(data, "3.141") == ["Close"]
    assert kind.feedback_for(data, "٣٫١٤١٦") == ["Exact"]


def test_gift_format_markers_are_never_shown_inside_options_or_prompts():
    items = gift(
        "::m::[html]Match the <b>activity</b>.{\n"
        "=[html]An <i>asynchronous</i> discussion. -> Forum\n"
        "=[moodle]A choice of responses. -> Choice\n"
        "=[plain]Entries <kept as typed> -> Database\n"
        "=[markdown]Pages **anyone** can _edit_. -> Wiki\n"
        "= -> Chat\n}\n\n"
        "::c:: Colour? {=yellow # right ~red # [html]<b>wrong</b> ~[plain]blue}"
    )
    matching, choice = items
    prompts = [p["prompt"] for p in matching.data["pairs"]]
    assert prompts == [
        "An asynchronous discussion.",
        "A choice of responses.",
        "Entries <kept as typed>",
        "Pages anyone can edit.",
    ]
    assert matching.stem == "Match the activity."
    assert [o["text"] for o in choice.data["options"]] == ["yellow", "red", "blue"]
    assert choice.data["options"][1]["feedback"] == "wrong"
    shown = repr(matching.data) + repr(choice.data)
    assert not any(f"[{m}]" in shown for m in ("html", "moodle", "plain", "markdown"))


def test_moodle_xml_texts_are_converted_by_their_format():
    item = only(
        xml(
            '<question type="multichoice"><name><text>f</text></name>'
            '<questiontext format="markdown"><text># Pick **one**</text></questiontext>'
            '<answer fraction="100" format="plain_text"><text>a &lt;b&gt; c</text>'
            '</answer><answer fraction="0" format="html"><text>&lt;p&gt;x &amp;amp; '
            "y&lt;/p&gt;</text></answer></question>"
        )
    )
    assert item.stem == "Pick one"
    assert [o["text"] for o in item.data["options"]] == ["a <b> c", "x & y"]


def test_nested_categories_keep_their_whole_path(bank):
    parsed = gift(
        "$CATEGORY: $course$/top/Electrics/Safety\n\n::a:: One? {T}\n\n"
        "$CATEGORY: $course$/top/Electrics/Safety//Tools\n\n::b:: Two? {F}"
    ) + xml(
        '<question type="category"><category><text>$course$/top/Cooling/Cycle'
        "</text></category></question>"
        '<question type="truefalse"><name><text>c</text></name><questiontext>'
        '<text>Three?</text></questiontext><answer fraction="100"><text>true</text>'
        '</answer><answer fraction="0"><text>false</text></answer></question>'
    )
    assert [p.topic for p in parsed] == [
        "Electrics/Safety",
        "Electrics/Safety//Tools",
        "Cooling/Cycle",
    ]
    questions_import(bank_id=bank.pk, parsed=parsed)
    assert set(bank.topics.values_list("name", flat=True)) == {
        "Electrics/Safety",
        "Electrics/Safety//Tools",
        "Cooling/Cycle",
    }


MATCH_WITH_HINTS = """
<question type="matching"><name><text>letters</text></name>
<questiontext format="html"><text>Match the letters.</text></questiontext>
<generalfeedback><text>A -> a, B -> b.</text></generalfeedback>
<shuffleanswers>false</shuffleanswers>
<correctfeedback><text>Well done.</text></correctfeedback>
<partiallycorrectfeedback><text>Not entirely.</text></partiallycorrectfeedback>
<incorrectfeedback><text>Completely wrong!</text></incorrectfeedback>
<subquestion><text>A</text><answer><text>a</text></answer></subquestion>
<subquestion><text>B</text><answer><text>b</text></answer></subquestion>
<hint><text>Hint 1</text></hint>
<hint format="html"><text>&lt;b&gt;Hint 2&lt;/b&gt;</text></hint>
</question>
<question type="multichoice"><name><text>pick</text></name>
<questiontext><text>Pick.</text></questiontext>
<answer fraction="100"><text>yes</text><feedback><text>Right.</text></feedback></answer>
<answer fraction="0"><text>no</text><feedback><text>No: yes.</text></feedback></answer>
<incorrectfeedback><text>Read again.</text></incorrectfeedback>
<hint><text>Think.</text></hint>
</question>
"""


def test_hints_per_answer_and_combined_feedback_and_shuffle_are_kept(bank):
    report = questions_import(bank_id=bank.pk, parsed=xml(MATCH_WITH_HINTS))
    assert report.created == 2
    match = bank.questions.get(name="letters").current_version
    assert match.data["hints"] == ["Hint 1", "Hint 2"]
    assert match.data["feedback"] == {
        "correct": "Well done.",
        "partial": "Not entirely.",
        "incorrect": "Completely wrong!",
    }
    assert match.data["shuffle"] is False
    assert match.explanation == "A -> a, B -> b."
    kind = get_kind("matching")
    assert kind.hints(match.data) == ["Hint 1", "Hint 2"]
    first = match.data["pairs"][0]["id"]
    assert kind.feedback_for(match.data, {first: "a"}) == ["Not entirely."]
    pick = bank.questions.get(name="pick").current_version
    assert pick.data["shuffle"] is True and pick.data["hints"] == ["Think."]
    no = next(o["id"] for o in pick.data["options"] if o["text"] == "no")
    kind = get_kind("single_choice")
    assert kind.feedback_for(pick.data, no) == ["No: yes.", "Read again."]


def test_gift_general_feedback_becomes_the_explanation():
    item = only(
        gift("::Q1:: 42?{\nFALSE#Nope.#Right.\n####[html]A <i>Hitchhiker</i> joke.}")
    )
    assert item.explanation == "A Hitchhiker joke."
    assert (item.data["feedback_true"], item.data["feedback_false"]) == (
        "Nope.",
        "Right.",
    )
    data = get_kind("true_false").clean(item.data)
    assert get_kind("true_false").feedback_for(data, True) == ["Nope."]


def test_identical_questions_at_two_places_are_both_kept_and_reimport_is_idempotent(
    bank,
):
    text = (
        "::tsl::TSL is blablabla.{T}\n\n::x:: Other {F}\n\n"
        "::tsl::TSL is blablabla.{TRUE}"
    )
    first = questions_import(bank_id=bank.pk, parsed=gift(text))
    assert first.created == 3 and first.errors == ()
    assert bank.questions.filter(name="tsl").count() == 2
    again = questions_import(bank_id=bank.pk, parsed=gift(text))
    assert (again.created, again.changed, again.unchanged) == (0, 0, 3)
    assert bank.questions.count() == 3


def test_a_refused_question_keeps_its_position_and_the_others_import(bank):
    parsed = xml(
        '<question type="calculated"><name><text>calc</text></name></question>'
        '<question type="ddwtos"><name><text>drag</text></name></question>'
        '<question type="truefalse"><name><text>ok</text></name><questiontext>'
        '<text>Fine?</text></questiontext><answer fraction="100"><text>true</text>'
        '</answer><answer fraction="0"><text>false</text></answer></question>'
    )
    report = questions_import(bank_id=bank.pk, parsed=parsed)
    assert report.created == 1
    assert [p for p, _r in report.errors] == [1, 2]
    assert "calc" in report.errors[0][1] and "“calculated”" in report.errors[0][1]
    assert "“ddwtos”" in report.errors[1][1]


@pytest.mark.parametrize(
    ("value", "shuffle"), [("true", True), ("1", True), ("false", False), ("0", False)]
)
def test_shuffleanswers_is_kept_by_the_kind(value, shuffle):
    item = only(
        xml(
            f'<question type="multichoice"><name><text>s</text></name><questiontext>'
            f"<text>S?</text></questiontext><shuffleanswers>{value}</shuffleanswers>"
            '<answer fraction="100"><text>a</text></answer><answer fraction="0">'
            "<text>b</text></answer></question>"
        )
    )
    assert get_kind("single_choice").clean(item.data)["shuffle"] is shuffle


def test_every_kind_keeps_hints_feedback_and_shuffle():
    from tests.assessments.conftest import KEYS

    extra = {
        "hints": ["h1", " ", "h2"],
        "feedback": {"correct": "c", "partial": "p", "incorrect": "i"},
        "shuffle": False,
    }
    for code, data in KEYS.items():
        cleaned = get_kind(code).clean({**data, **extra})
        assert cleaned["hints"] == ["h1", "h2"], code
        assert cleaned["feedback"] == extra["feedback"], code
        assert cleaned["shuffle"] is False, code
        assert get_kind(code).clean(data)["shuffle"] is True, code


def test_short_answer_feedback_is_the_first_matching_answer():
    item = only(gift("Best?{=Frog#Good! =%50%Cat#Cats... =%0%*#Completely wrong}"))
    data = get_kind("short_answer").clean(item.data)
    kind = get_kind("short_answer")
    assert kind.feedback_for(data, "frog") == ["Good!"]
    assert kind.feedback_for(data, "Cat") == ["Cats..."]
    assert kind.feedback_for(data, "dog") == ["Completely wrong"]
    assert kind.grade(data, "dog") == 0.0


def test_grades_that_are_not_moodle_s_are_refused_with_the_question():
    items = gift("::w:: Pick {~%33%a ~%67%b}\n\n::ok:: Pick {=a ~b}")
    assert isinstance(items[0], ParseProblem) and "33%" in items[0].reason
    assert isinstance(items[1], ParsedQuestion)


def test_a_question_of_another_type_under_the_same_name_is_refused(bank):
    questions_import(bank_id=bank.pk, parsed=gift("::same:: One? {T}"))
    report = questions_import(bank_id=bank.pk, parsed=gift("::same:: One? {=yes ~no}"))
    assert report.created == report.changed == 0
    ((position, reason),) = report.errors
    assert position == 1 and "another type" in reason
    assert bank.questions.get().kind == "true_false"


def test_a_changed_question_keeps_its_history_and_attempts_their_version(bank):
    questions_import(bank_id=bank.pk, parsed=gift("::q:: Volts? {#230:10}"))
    first = bank.questions.get().current_version
    report = questions_import(bank_id=bank.pk, parsed=gift("::q:: Volts? {#220:10}"))
    assert (report.created, report.changed) == (0, 1)
    question = bank.questions.get()
    assert question.versions.count() == 2
    assert question.current_version.data["answers"][0]["value"] == 220
    first.refresh_from_db()
    assert first.data["answers"][0]["value"] == 230
