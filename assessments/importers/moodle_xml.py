"""Moodle XML quiz format (https://docs.moodle.org/en/Moodle_XML_format).

Parsed with defusedxml: a DTD, entities or external references refuse the whole file
(so no XXE and no entity-expansion bomb). Difficulty comes from a tag
`difficulty:easy|medium|hard` (Moodle ignores it); penalties are ignored. Kept:
categories as full paths, every text in its `format` (html, moodle_auto_format,
plain_text, markdown), per-answer feedback, hints, combined feedback
(correct/partially correct/incorrect), `shuffleanswers`, general feedback (→
explanation), numerical `*` answers; grades must be Moodle's.
"""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.categories import join_path, split_path
from assessments.importers import (
    ParsedQuestion,
    ParseProblem,
    check_grades,
    html_to_text,
    image_alts,
    text_in_format,
)


class _Refused(Exception):
    pass


def _text(node: Element | None, path: str = "text") -> str:
    if node is None:
        return ""
    found = node.find(path) if path else node
    return (found.text or "") if found is not None else ""


def _files(node: Element | None) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if node is None:
        return files
    for file_node in node.findall("file"):
        name = file_node.get("name") or ""
        if file_node.get("encoding", "base64") != "base64" or not name:
            continue
        try:
            files[name] = base64.b64decode(
                (file_node.text or "").strip(), validate=False
            )
        except (binascii.Error, ValueError):
            raise _Refused(
                _("The embedded file “%(name)s” is not valid base64.") % {"name": name}
            ) from None
    return files


def _plain(node: Element | None, default: str = "moodle_auto_format") -> str:
    """The text of a rich-text element in its `format` (html, moodle_auto_format,
    plain_text, markdown), as the trainee reads it."""
    if node is None:
        return ""
    return text_in_format(_text(node), node.get("format") or default)


def _rich(node: Element | None) -> tuple[str, list[tuple[str, bytes]], dict]:
    """Text of a rich-text element, its images (name, bytes) and all its files."""
    _html_text, image_names = html_to_text(_text(node))
    text = _plain(node)
    files = _files(node)
    missing = [n for n in image_names if n not in files]
    if missing:
        raise _Refused(
            _("The image “%(name)s” is used but not embedded in the file.")
            % {"name": missing[0]}
        )
    return text, [(n, files[n]) for n in image_names], files


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction", "0")) / 100
    except ValueError:
        raise _Refused(_("An answer has a fraction that is not a number.")) from None


def _feedback(node: Element) -> str:
    return _plain(node.find("feedback"))


def _flag(q: Element, tag: str, default: bool) -> bool:
    value = _text(q, tag).strip().lower()
    if not value:
        return default
    return value in ("true", "1", "yes")


def _conventions(q: Element) -> dict:
    """What every kind keeps: hints, combined feedback, whether to shuffle."""
    return {
        "hints": [_plain(h) for h in q.findall("hint") if _plain(h)],
        "feedback": {
            "correct": _plain(q.find("correctfeedback")),
            "partial": _plain(q.find("partiallycorrectfeedback")),
            "incorrect": _plain(q.find("incorrectfeedback")),
        },
        "shuffle": _flag(q, "shuffleanswers", True),
    }


def _image(node: Element | None, images: list[tuple[str, bytes]]) -> dict:
    """The first image of a rich-text element and its alt text."""
    if not images:
        return {"image": None}
    name = images[0][0]
    return {"image": name, "image_alt": image_alts(_text(node)).get(name, "")}


def _choice_options(q: Element, files: dict) -> list[dict]:
    options = []
    for answer in q.findall("answer"):
        text, images, answer_files = _rich(answer)
        files.update(answer_files)
        options.append(
            {
                "text": text,
                **_image(answer, images),
                "fraction": _fraction(answer),
                "feedback": _feedback(answer),
            }
        )
    return options


def _multichoice(q: Element, files: dict) -> tuple[str, dict]:
    options = _choice_options(q, files)
    single = _text(q, "single").strip().lower() in ("true", "1", "")
    return ("single_choice" if single else "multiple_response"), {"options": options}


def _truefalse(q: Element, files: dict) -> tuple[str, dict]:
    data: dict = {}
    for answer in q.findall("answer"):
        value = _text(answer).strip().lower()
        if value not in ("true", "false"):
            raise _Refused(_("A true/false answer must be “true” or “false”."))
        data[f"feedback_{value}"] = _feedback(answer)
        if _fraction(answer) >= 0.999:
            data["answer"] = value == "true"
    return "true_false", data


def _shortanswer(q: Element, files: dict) -> tuple[str, dict]:
    answers = [
        {
            "text": _plain(a, "plain_text"),
            "fraction": _fraction(a),
            "feedback": _feedback(a),
        }
        for a in q.findall("answer")
    ]
    case = _text(q, "usecase").strip() == "1"
    return "short_answer", {"answers": answers, "case_sensitive": case}


def _matching(q: Element, files: dict) -> tuple[str, dict]:
    pairs, distractors = [], []
    for sub in q.findall("subquestion"):
        prompt, images, sub_files = _rich(sub)
        files.update(sub_files)
        answer = _plain(sub.find("answer"), "plain_text")
        if not prompt and not images:
            distractors.append(answer)
            continue
        pairs.append(
            {
                "prompt": prompt,
                **_image(sub, images),
                "answer": answer,
            }
        )
    return "matching", {"pairs": pairs, "distractors": distractors}


def _numerical(q: Element, files: dict) -> tuple[str, dict]:
    answers = []
    for answer in q.findall("answer"):
        raw = _text(answer).strip()
        answers.append(
            {
                "value": raw,
                "tolerance": _text(answer, "tolerance").strip() or "0",
                "fraction": _fraction(answer),
                "feedback": _feedback(answer),
            }
        )
    units = [
        {
            "name": _text(u, "unit_name").strip(),
            "multiplier": _text(u, "multiplier") or 1,
        }
        for u in q.findall("units/unit")
    ]
    unit_required = _text(q, "unitgradingtype").strip() not in ("", "0") or (
        _text(q, "showunits").strip() == "1"
    )
    return "numeric", {
        "answers": answers,
        "units": units,
        "unit_required": unit_required,
    }


def _ordering(q: Element, files: dict) -> tuple[str, dict]:
    items = []
    for answer in q.findall("answer"):
        text, images, answer_files = _rich(answer)
        files.update(answer_files)
        items.append({"text": text, **_image(answer, images)})
    return "ordering", {"items": items}


def _essay(q: Element, files: dict) -> tuple[str, dict]:
    return "essay", {"grader_info": _plain(q.find("graderinfo"))}


HANDLERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "numerical": _numerical,
    "ordering": _ordering,
    "essay": _essay,
}


def _topic_from_category(path: str) -> str:
    """The category's full path below the context (`$course$/top/A/B` → `A/B`)."""
    return join_path(split_path(path))


def _grades(q: Element, qtype: str) -> list[float]:
    if qtype not in ("multichoice", "shortanswer", "numerical"):
        return []
    return [_fraction(answer) for answer in q.findall("answer")]


def _difficulty(q: Element) -> str:
    for tag in q.findall("tags/tag"):
        value = _text(tag).strip().lower()
        if value.startswith("difficulty:"):
            return value.split(":", 1)[1].strip()
    return "medium"


def parse(content: bytes) -> list:
    """Parse a Moodle XML file; refuses the whole file if it is unsafe or not XML."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(
            _(
                "The file declares a DTD or entities; it was refused for safety "
                "(Moodle exports never need them)."
            )
        ) from None
    except ParseError as exc:
        raise ValidationError(
            _("The file is not valid XML: %(error)s."), params={"error": str(exc)}
        ) from None
    if root.tag != "quiz":
        raise ValidationError(_("This is not a Moodle XML quiz file (no <quiz>)."))
    results: list = []
    topic = ""
    for position, q in enumerate(root.findall("question"), start=1):
        qtype = q.get("type", "")
        if qtype == "category":
            topic = _topic_from_category(_text(q.find("category")))
            continue
        name = _text(q.find("name")).strip()
        if qtype == "description":
            results.append(
                ParseProblem(position, _("description (not a question): skipped"), True)
            )
            continue
        handler = HANDLERS.get(qtype)
        if handler is None:
            results.append(
                ParseProblem(
                    position,
                    _("%(name)s: question type “%(type)s” is not supported")
                    % {"name": name or "—", "type": qtype},
                )
            )
            continue
        try:
            stem, stem_images, files = _rich(q.find("questiontext"))
            alts = image_alts(_text(q.find("questiontext")))
            kind, data = handler(q, files)
            data.update(_conventions(q))
            try:
                check_grades(_grades(q, qtype))
            except ValidationError as exc:
                raise _Refused(exc.messages[0]) from None
            try:
                points = Decimal(_text(q, "defaultgrade").strip() or "1")
            except InvalidOperation:
                raise _Refused(_("defaultgrade is not a number.")) from None
        except _Refused as exc:
            results.append(
                ParseProblem(position, f"{name}: {exc}" if name else str(exc))
            )
            continue
        results.append(
            ParsedQuestion(
                position=position,
                kind=kind,
                stem=stem,
                data=data,
                topic=topic,
                name=name,
                difficulty=_difficulty(q),
                explanation=_plain(q.find("generalfeedback")),
                points=points if points > 0 else Decimal(1),
                stem_images=stem_images,
                stem_image_alts=[alts.get(name, "") for name, _content in stem_images],
                files=files,
            )
        )
    return results
