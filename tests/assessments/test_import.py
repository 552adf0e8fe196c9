"""Moodle XML and GIFT import: every type, partial errors, idempotence, unsafe XML."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assessments.importers import parse_file
from assessments.models import Question
from assessments.question_types import get_kind
from assessments.services import questions_import
from tests.assessments.conftest import DATA


def import_file(bank, name, fmt=None):
    path = DATA / name
    parsed = parse_file(name=path.name, content=path.read_bytes(), fmt=fmt)
    return questions_import(bank_id=bank.pk, parsed=parsed)


def test_moodle_xml_file_imports_every_type(bank):
    report = import_file(bank, "refrigeration_ac.xml")
    assert report.errors == ()
    assert report.created == 9
    assert len(report.skipped) == 1  # the description
    kinds = set(bank.questions.values_list("kind", flat=True))
    assert kinds == {
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "matching",
        "numeric",
        "ordering",
        "essay",
    }
    # Moodle's nested categories keep their whole path (they were flattened)
    assert set(bank.topics.values_list("name", flat=True)) == {
        "التبريد والتكييف/السلامة",
        "التبريد والتكييف/دورة التبريد",
    }


def test_moodle_xml_keeps_feedback_difficulty_units_and_images(bank):
    import_file(bank, "refrigeration_ac.xml")
    gauge = bank.questions.get(name="ref-cycle-03").current_version
    assert bank.questions.get(name="ref-cycle-03").difficulty == "hard"
    assert [u["name"] for u in gauge.data["units"]] == ["psi", "bar"]
    assert gauge.stem_images and gauge.stem_images[0].startswith("assessments/images/")
    assert "68 psi" in gauge.explanation
    pictures = bank.questions.get(name="ref-cycle-04").current_version.data["options"]
    assert all(o["image"].startswith("assessments/images/") for o in pictures)
    first = bank.questions.get(name="ref-safety-01").current_version
    assert first.data["options"][1]["feedback"] == "ممنوع بيئياً وقانونياً."
    assert bank.questions.get(name="ref-safety-02").current_version.points == 2


def test_moodle_matching_keeps_distractors_and_grades(bank):
    import_file(bank, "refrigeration_ac.xml")
    data = bank.questions.get(name="ref-cycle-02").current_version.data
    assert data["distractors"] == ["يشحن البطارية"]
    assert len(data["pairs"]) == 3


def test_gift_file_imports_every_type(bank):
    report = import_file(bank, "mobile_repair.gift")
    assert report.errors == ()
    assert report.created == 12
    assert len(report.skipped) == 1
    kinds = set(bank.questions.values_list("kind", flat=True))
    assert kinds == {
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "matching",
        "numeric",
        "essay",
    }


def test_gift_escapes_titles_weights_feedback_and_missing_word(bank):
    import_file(bank, "mobile_repair.gift")
    pin = bank.questions.get(name="mob-diag-07").current_version
    assert "{PIN}" in pin.stem and "1234:" in pin.stem
    weights = bank.questions.get(name="mob-tools-02").current_version.data["options"]
    assert [o["fraction"] for o in weights] == [0.5, 0.5, -1.0]
    screen = bank.questions.get(name="mob-tools-01").current_version
    assert screen.explanation.startswith("التسخين")
    assert screen.data["options"][0]["feedback"] == "صحيح: لا يخدش الإطار."
    blank = bank.questions.get(name="mob-diag-08").current_version
    assert "_____" in blank.stem
    voltage = bank.questions.get(name="mob-diag-03")
    assert voltage.difficulty == "hard"
    assert get_kind("numeric").grade(voltage.current_version.data, "٤٫٢") == 1.0
    rng = bank.questions.get(name="mob-diag-04").current_version.data["answers"][0]
    assert (rng["value"], rng["tolerance"]) == (2.5, 0.5)


def test_reimporting_the_same_file_changes_nothing(bank):
    import_file(bank, "refrigeration_ac.xml")
    import_file(bank, "mobile_repair.gift")
    before = list(Question.objects.values_list("pk", "current_version_id"))
    again_xml = import_file(bank, "refrigeration_ac.xml")
    again_gift = import_file(bank, "mobile_repair.gift")
    assert again_xml.created == again_gift.created == 0
    assert again_xml.unchanged == 9 and again_gift.unchanged == 12
    assert list(Question.objects.values_list("pk", "current_version_id")) == before


def test_gift_partial_import_lists_each_bad_question_and_keeps_the_good(bank):
    report = import_file(bank, "partial_errors.gift")
    assert report.created == 2
    positions = [p for p, _reason in report.errors]
    assert positions == [5, 7, 11]
    reasons = " ".join(r for _p, r in report.errors)
    assert "not closed" in reasons and "not a number" in reasons
    assert set(bank.questions.values_list("name", flat=True)) == {"good-01", "good-02"}


def test_xml_partial_import_lists_each_bad_question_and_keeps_the_good(bank):
    report = import_file(bank, "partial_errors.xml")
    assert report.created == 2
    assert [p for p, _r in report.errors] == [3, 4, 5]
    assert "calculated" in report.errors[1][1]
    assert "missing.png" in report.errors[2][1]


@pytest.mark.parametrize("name", ["xxe.xml", "entity_bomb.xml"])
def test_unsafe_xml_is_refused_whole(bank, name):
    with pytest.raises(ValidationError) as exc:
        import_file(bank, name)
    assert "refused for safety" in str(exc.value)
    assert not bank.questions.exists()


def test_xxe_never_reads_the_local_file(bank):
    with pytest.raises(ValidationError):
        import_file(bank, "xxe.xml")
    assert not Question.objects.filter(versions__stem__contains="root:").exists()


def test_broken_xml_gets_a_clear_error(bank):
    with pytest.raises(ValidationError, match="not valid XML"):
        parse_file(name="x.xml", content=b"<quiz><question>")


def test_format_is_guessed_from_the_file(bank):
    content = (DATA / "mobile_repair.gift").read_bytes()
    assert parse_file(name="export.txt", content=content)[0].kind == "single_choice"
    xml = (DATA / "partial_errors.xml").read_bytes()
    assert parse_file(name="export", content=xml)[0].kind == "true_false"


def test_command_prints_a_summary_and_each_refused_question(bank):
    out, err = StringIO(), StringIO()
    call_command(
        "import_questions",
        str(DATA / "partial_errors.gift"),
        bank=bank.slug,
        stdout=out,
        stderr=err,
    )
    assert "2 imported" in out.getvalue() and "3 refused" in out.getvalue()
    assert "position 5" in err.getvalue()


def test_command_with_format_option_and_rerun(bank):
    out = StringIO()
    path = str(DATA / "tailoring.gift")
    call_command("import_questions", path, bank=bank.slug, format="gift", stdout=out)
    call_command("import_questions", path, bank=bank.slug, stdout=out)
    assert "7 imported" in out.getvalue() and "7 unchanged" in out.getvalue()


def test_command_refuses_an_unknown_bank(db):
    with pytest.raises(CommandError, match="No question bank"):
        call_command("import_questions", str(DATA / "tailoring.gift"), bank="nope")


def test_command_refuses_an_unsafe_file(bank):
    with pytest.raises(CommandError, match="refused for safety"):
        call_command("import_questions", str(DATA / "entity_bomb.xml"), bank=bank.slug)


def _rendered(kind: str, public: dict) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    item = {"kind": kind, "choices": public, "response": None}
    with translation.override("en"):
        return render_to_string("assessments/_response.html", {"item": item})


def test_option_pictures_keep_their_alt_text_up_to_the_exam_page(bank):
    import random

    import_file(bank, "refrigeration_ac.xml")
    version = bank.questions.get(name="ref-cycle-04").current_version
    assert [o["image_alt"] for o in version.data["options"]] == ["أ", "ب"]
    public = get_kind("single_choice").public(
        version.data, rng=random.Random(1), shuffle=False
    )
    page = _rendered("single_choice", public)
    assert 'alt="أ"' in page and 'alt="ب"' in page
    assert "Picture" not in page


def test_a_picture_without_alt_text_is_named_by_its_place():
    page = _rendered(
        "ordering",
        {
            "items": [
                {"id": "a", "text": "", "image_url": "/media/a.png", "image_alt": ""},
                {"id": "b", "text": "افصل", "image_url": None, "image_alt": ""},
            ]
        },
    )
    assert '<img src="/media/a.png" alt="Picture 1"' in page


def test_alt_text_is_read_from_moodle_image_tags():
    from assessments.importers import image_alts

    html = (
        '<p><img alt="صمام &amp; وصلة" src="@@PLUGINFILE@@/v.png?time=1">'
        "<img src='@@PLUGINFILE@@/g.png' alt='مانومتر'>"
        '<img src="@@PLUGINFILE@@/none.png"><img src="https://x/y.png" alt="خارجي"></p>'
    )
    assert image_alts(html) == {"v.png": "صمام & وصلة", "g.png": "مانومتر"}


def test_stem_pictures_keep_their_alt_text(bank):
    import_file(bank, "refrigeration_ac.xml")
    gauge = bank.questions.get(name="ref-cycle-03").current_version
    assert gauge.stem_image_alts == ["مانومتر"]
    assert len(gauge.stem_images) == 1
    versions = bank.questions.get(name="ref-cycle-03").versions.count()
    import_file(bank, "refrigeration_ac.xml")  # the same file again changes nothing
    assert bank.questions.get(name="ref-cycle-03").versions.count() == versions


def test_alt_texts_do_not_change_a_question_s_identity():
    """A bank imported before alt texts were kept re-imports as unchanged."""
    import dataclasses
    import json

    path = DATA / "refrigeration_ac.xml"
    parsed = parse_file(name=path.name, content=path.read_bytes())
    with_pictures = 0
    for item in parsed:
        if not hasattr(item, "data"):  # a ParseProblem
            continue
        with_pictures += '"image_alt"' in json.dumps(item.data)
        before = json.loads(json.dumps(item.data).replace('"image_alt"', '"_drop"'))
        for key in ("options", "pairs", "items"):
            for entry in before.get(key, []):
                entry.pop("_drop", None)
        older = dataclasses.replace(item, data=before, stem_image_alts=[])
        assert item.source_hash() == older.source_hash(), item.name
    assert with_pictures
