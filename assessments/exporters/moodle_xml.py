"""A bank as a Moodle XML quiz file (https://docs.moodle.org/en/Moodle_XML_format).

Each topic is a `<question type="category">` with its `$course$/top/...` path, then
its active questions: every kind with its fractions (Moodle's percentages), per-answer
and combined feedback, hints, `shuffleanswers`, tolerances and units, the explanation
as general feedback, points as default grade, difficulty as a `difficulty:<level>`
tag, and pictures as `@@PLUGINFILE@@` references with their bytes in base64 `<file>`
elements. `assessments.importers.moodle_xml` reads it back to the same questions.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.core.files.storage import default_storage

from assessments.categories import moodle_path
from assessments.models import Question

PLUGINFILE = "@@PLUGINFILE@@/"


def _percent(fraction: float) -> str:
    return f"{float(fraction) * 100:.7g}"


def _number(value: float) -> str:
    return format(float(value), ".15g")


class _Writer:
    """Builds one question's elements; embeds each picture it references."""

    def __init__(self, read: Callable[[str], bytes]) -> None:
        self.read = read

    def text(self, parent: Element, tag: str, value: str) -> Element:
        node = SubElement(parent, tag)
        SubElement(node, "text").text = value
        return node

    def rich(
        self,
        parent: Element,
        tag: str,
        value: str,
        images: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ) -> Element:
        """A text in HTML (escaped, lines kept) with its pictures embedded."""
        lines = [html.escape(line) for line in (value or "").splitlines()]
        body = "<br>".join(lines)
        for name, alt in images:
            file_name = PurePosixPath(name).name
            body += (
                f'<img src="{PLUGINFILE}{html.escape(file_name)}" '
                f'alt="{html.escape(alt or "")}">'
            )
        node = SubElement(parent, tag, format="html")
        SubElement(node, "text").text = body
        for name, _alt in images:
            file_node = SubElement(
                node, "file", name=PurePosixPath(name).name, encoding="base64"
            )
            file_node.text = base64.b64encode(self.read(name)).decode()
        return node

    def plain(self, parent: Element, tag: str, value: str, **attrs: str) -> Element:
        node = SubElement(parent, tag, format="plain_text", **attrs)
        SubElement(node, "text").text = value or ""
        return node


def _image(entry: dict) -> list[tuple[str, str]]:
    return [(entry["image"], entry.get("image_alt", ""))] if entry.get("image") else []


def _feedback(w: _Writer, parent: Element, text: str) -> None:
    w.rich(parent, "feedback", text)


def _combined(w: _Writer, q: Element, data: dict) -> None:
    feedback = data.get("feedback") or {}
    for key, tag in (
        ("correct", "correctfeedback"),
        ("partial", "partiallycorrectfeedback"),
        ("incorrect", "incorrectfeedback"),
    ):
        w.rich(q, tag, feedback.get(key, ""))


def _shuffle(q: Element, data: dict) -> None:
    SubElement(q, "shuffleanswers").text = (
        "true" if data.get("shuffle", True) else "false"
    )


def _choice(w: _Writer, q: Element, data: dict, single: bool) -> None:
    SubElement(q, "single").text = "true" if single else "false"
    _shuffle(q, data)
    SubElement(q, "answernumbering").text = "abc"
    _combined(w, q, data)
    for option in data["options"]:
        answer = w.rich(q, "answer", option["text"], _image(option))
        answer.set("fraction", _percent(option["fraction"]))
        _feedback(w, answer, option.get("feedback", ""))


def _true_false(w: _Writer, q: Element, data: dict) -> None:
    for value in (True, False):
        answer = w.plain(
            q, "answer", "true" if value else "false",
            fraction="100" if data["answer"] is value else "0",
        )  # fmt: skip
        _feedback(
            w, answer, data.get("feedback_true" if value else "feedback_false", "")
        )


def _short(w: _Writer, q: Element, data: dict) -> None:
    SubElement(q, "usecase").text = "1" if data.get("case_sensitive") else "0"
    for entry in data["answers"]:
        answer = w.plain(
            q, "answer", entry["text"], fraction=_percent(entry["fraction"])
        )
        _feedback(w, answer, entry.get("feedback", ""))


def _numeric(w: _Writer, q: Element, data: dict) -> None:
    for entry in data["answers"]:
        value = entry["value"]
        text = value if value == "*" else _number(value)
        answer = w.plain(q, "answer", text, fraction=_percent(entry["fraction"]))
        _feedback(w, answer, entry.get("feedback", ""))
        SubElement(answer, "tolerance").text = _number(entry.get("tolerance") or 0)
    if data.get("units"):
        units = SubElement(q, "units")
        for unit in data["units"]:
            node = SubElement(units, "unit")
            SubElement(node, "multiplier").text = _number(unit["multiplier"])
            SubElement(node, "unit_name").text = unit["name"]
    required = bool(data.get("unit_required"))
    SubElement(q, "unitgradingtype").text = "1" if required else "0"
    SubElement(q, "showunits").text = "0" if required else "3"


def _matching(w: _Writer, q: Element, data: dict) -> None:
    _shuffle(q, data)
    _combined(w, q, data)
    for pair in data["pairs"]:
        sub = w.rich(q, "subquestion", pair["prompt"], _image(pair))
        w.text(sub, "answer", pair["answer"])
    for distractor in data.get("distractors") or []:
        sub = w.rich(q, "subquestion", "")
        w.text(sub, "answer", distractor)


def _ordering(w: _Writer, q: Element, data: dict) -> None:
    SubElement(q, "layouttype").text = "VERTICAL"
    SubElement(q, "selecttype").text = "ALL"
    SubElement(q, "selectcount").text = "0"
    SubElement(q, "gradingtype").text = "ABSOLUTE_POSITION"
    _combined(w, q, data)
    for position, item in enumerate(data["items"], start=1):
        answer = w.rich(q, "answer", item["text"], _image(item))
        answer.set("fraction", str(position))


def _essay(w: _Writer, q: Element, data: dict) -> None:
    SubElement(q, "responseformat").text = "editor"
    SubElement(q, "responserequired").text = "1"
    SubElement(q, "responsefieldlines").text = "15"
    SubElement(q, "attachments").text = "0"
    w.rich(q, "graderinfo", data.get("grader_info", ""))


MOODLE_TYPES: dict[str, tuple[str, Callable[[_Writer, Element, dict], None]]] = {
    "single_choice": ("multichoice", lambda w, q, d: _choice(w, q, d, True)),
    "multiple_response": ("multichoice", lambda w, q, d: _choice(w, q, d, False)),
    "true_false": ("truefalse", _true_false),
    "short_answer": ("shortanswer", _short),
    "numeric": ("numerical", _numeric),
    "matching": ("matching", _matching),
    "ordering": ("ordering", _ordering),
    "essay": ("essay", _essay),
}


def _question(w: _Writer, quiz: Element, question: Question) -> None:
    version = question.current_version
    assert version is not None
    qtype, write = MOODLE_TYPES[question.kind]
    q = SubElement(quiz, "question", type=qtype)
    w.text(q, "name", question.name or f"q{question.pk}")
    alts = list(version.stem_image_alts or [])
    images = [
        (name, alts[i] if i < len(alts) else "")
        for i, name in enumerate(version.stem_images)
    ]
    w.rich(q, "questiontext", version.stem, images)
    w.rich(q, "generalfeedback", version.explanation)
    SubElement(q, "defaultgrade").text = str(version.points)
    SubElement(q, "penalty").text = "0.3333333"
    SubElement(q, "hidden").text = "0"
    write(w, q, version.data)
    for hint in version.data.get("hints") or []:
        w.rich(q, "hint", hint)
    tags = SubElement(q, "tags")
    w.text(tags, "tag", f"difficulty:{question.difficulty}")


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def bank_to_moodle_xml(*, bank_id: int) -> bytes:
    """The bank's active questions, by topic, as a Moodle XML file (UTF-8)."""
    questions = (
        Question.objects.filter(bank_id=bank_id, is_active=True)
        .exclude(current_version=None)
        .select_related("topic", "current_version")
        .order_by("topic__name", "id")
    )
    writer = _Writer(_read)
    quiz = Element("quiz")
    topic_id = None
    for question in questions:
        if question.topic_id != topic_id:
            topic_id = question.topic_id
            category = SubElement(quiz, "question", type="category")
            writer.text(category, "category", moodle_path(question.topic.name))
        _question(writer, quiz, question)
    indent(quiz)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(quiz, encoding="unicode").encode()
        + b"\n"
    )
