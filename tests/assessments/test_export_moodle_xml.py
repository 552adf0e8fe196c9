"""Export to Moodle XML: the file Moodle reads (categories as paths, types,
fractions, pictures as @@PLUGINFILE@@), and the round trip export → import into an
empty bank → the same questions."""

from io import StringIO
from xml.etree.ElementTree import fromstring

import pytest
from django.core.management import CommandError, call_command

from assessments.exporters.moodle_xml import bank_to_moodle_xml
from assessments.importers import parse_file
from assessments.models import QuestionBank
from assessments.services import questions_import
from tests.assessments.conftest import DATA
from tests.assessments.test_moodle_fixtures import FIXTURES

SOURCES = [
    DATA / "refrigeration_ac.xml",
    DATA / "mobile_repair.gift",
    FIXTURES / "xmlformat_test_questions.xml",
    FIXTURES / "nested_categories_with_questions.xml",
    FIXTURES / "questions.gift.txt",
]


def fill(bank) -> None:
    for path in SOURCES:
        report = questions_import(
            bank_id=bank.pk,
            parsed=parse_file(name=path.name, content=path.read_bytes()),
        )
        assert report.created


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def snapshot(bank) -> list:
    rows = []
    for q in bank.questions.select_related("topic", "current_version").order_by(
        "topic__name", "name", "id"
    ):
        v = q.current_version
        rows.append(
            (
                q.topic.name,
                q.name,
                q.kind,
                q.difficulty,
                v.stem,
                _without_ids(v.data),
                v.explanation,
                v.points,
                v.stem_images,
                v.stem_image_alts,
            )
        )
    return rows


@pytest.fixture
def empty_bank(occupation, level):
    return QuestionBank.objects.create(
        slug="copy", title="نسخة", occupation=occupation, skill_level=level
    )


def test_round_trip_gives_identical_questions(bank, empty_bank):
    fill(bank)
    content = bank_to_moodle_xml(bank_id=bank.pk)
    report = questions_import(
        bank_id=empty_bank.pk, parsed=parse_file(name="bank.xml", content=content)
    )
    assert report.errors == ()
    assert report.created == bank.questions.count()
    assert snapshot(empty_bank) == snapshot(bank)
    again = questions_import(
        bank_id=empty_bank.pk, parsed=parse_file(name="bank.xml", content=content)
    )
    assert again.unchanged == bank.questions.count() and again.created == 0


def test_export_writes_moodle_categories_types_and_files(bank):
    fill(bank)
    quiz = fromstring(bank_to_moodle_xml(bank_id=bank.pk))
    paths = [
        q.findtext("category/text") for q in quiz.findall("question[@type='category']")
    ]
    assert "$course$/top/Iota/Kappa/Lambda" in paths
    assert "$course$/top/التبريد والتكييف/السلامة" in paths
    types = {q.get("type") for q in quiz.findall("question")}
    assert types >= {
        "category",
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "ordering",
        "essay",
    }
    numeric = next(
        q
        for q in quiz.findall("question[@type='numerical']")
        if q.findtext("name/text") == "Numerical question"
    )
    assert [a.get("fraction") for a in numeric.findall("answer")] == ["100", "0", "0"]
    assert [a.findtext("tolerance") for a in numeric.findall("answer")] == [
        "0.001",
        "1",
        "0",
    ]
    assert numeric.findall("answer")[2].findtext("text") == "*"
    match = next(
        q
        for q in quiz.findall("question[@type='matching']")
        if q.findtext("name/text") == "Matching question"
    )
    assert match.findtext("shuffleanswers") == "false"
    assert match.findtext("partiallycorrectfeedback/text") == "Not entirely."
    assert [h.findtext("text") for h in match.findall("hint")] == ["Hint 1"]
    gauge = next(
        q for q in quiz.findall("question") if q.findtext("name/text") == "ref-cycle-03"
    )
    text = gauge.findtext("questiontext/text")
    (file_node,) = gauge.findall("questiontext/file")
    assert f'src="@@PLUGINFILE@@/{file_node.get("name")}"' in text
    assert file_node.get("encoding") == "base64" and len(file_node.text) > 20


def test_export_command_writes_the_file(bank, tmp_path):
    fill(bank)
    target = tmp_path / "bank.xml"
    err = StringIO()
    call_command("export_questions", bank=bank.slug, output=str(target), stderr=err)
    assert target.read_bytes() == bank_to_moodle_xml(bank_id=bank.pk)
    assert f"{bank.questions.count()} questions" in err.getvalue()
    out = StringIO()
    call_command("export_questions", bank=bank.slug, stdout=out)
    assert out.getvalue().startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_export_command_refuses_an_unknown_bank(db):
    with pytest.raises(CommandError, match="No question bank"):
        call_command("export_questions", bank="nope")
