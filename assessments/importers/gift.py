"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format).

Supported: single and multiple choice (percent weights; one choice when any answer
is marked `=`, as Moodle decides), true/false, short answer, matching, numerical
(value:tolerance, ranges, several weighted answers, `~#feedback` for any other
number), essay, description (skipped), `$CATEGORY:` paths (→ the topic's full path),
`::titles::`, the format markers `[html]` `[moodle]` `[plain]` `[markdown]` on the
question, each answer, prompt and feedback (dropped, the text converted as Moodle
shows it), per-answer `#feedback`, general `####feedback` (→ explanation), escapes
(\\~ \\= \\# \\{ \\} \\:). Grades must be Moodle's (100, 50, 33.33333...). A comment
`// difficulty: hard` or `// [tag:difficulty:hard]` sets the next question's
difficulty.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.categories import join_path, split_path
from assessments.importers import (
    ParsedQuestion,
    ParseProblem,
    check_grades,
    text_in_format,
)
from lms.kernel.digits import to_western_digits

SPECIAL = "~=#{}:"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_DIFFICULTY = re.compile(r"^//\s*difficulty\s*:\s*(\w+)", re.IGNORECASE)


class _Refused(Exception):
    pass


def _find(text: str, char: str, start: int = 0) -> int:
    """Index of the first unescaped `char` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split `text` at unescaped marker characters → [(marker, chunk)]."""
    parts: list[tuple[str, str]] = []
    current, marker, i = [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch in markers:
            if marker or "".join(current).strip():
                parts.append((marker, "".join(current)))
            current, marker = [], ch
        else:
            current.append(ch)
        i += 1
    if marker or "".join(current).strip():
        parts.append((marker, "".join(current)))
    return parts


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out).strip()


_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")


def _formatted(text: str, default: str) -> str:
    """Text with its optional format marker (`[html]`, `[plain]`...) dropped and
    converted the way Moodle shows that format; unmarked text has `default`."""
    match = _MARKER.match(text)
    fmt = match.group(1) if match else default
    if match:
        text = text[match.end() :]
    return text_in_format(unescape(text), fmt)


def _marker(text: str, default: str) -> tuple[str, str]:
    match = _MARKER.match(text)
    return (match.group(1), text[match.end() :]) if match else (default, text)


def _split_feedback(chunk: str) -> tuple[str, str]:
    at = _find(chunk, "#")
    if at == -1:
        return chunk, ""
    return chunk[:at], chunk[at + 1 :]


def _weight(chunk: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(chunk.strip())
    if not match:
        return None, chunk
    return float(match.group(1)) / 100, chunk.strip()[match.end() :]


def _general_feedback(body: str) -> tuple[str, str]:
    at = body.find("####")
    while at != -1 and at > 0 and body[at - 1] == "\\":
        at = body.find("####", at + 1)
    if at == -1:
        return body, ""
    return body[:at], body[at + 4 :]


def _number(text: str) -> float:
    return float(to_western_digits(text.strip()))


def _numeric_answer(chunk: str, fmt: str) -> dict:
    chunk, feedback = _split_feedback(chunk)
    weight, chunk = _weight(chunk)
    chunk = unescape(chunk)
    try:
        if ".." in chunk:
            low, high = (_number(x) for x in chunk.split("..", 1))
            value, tolerance = (low + high) / 2, abs(high - low) / 2
        elif ":" in chunk:
            raw_value, raw_tol = chunk.split(":", 1)
            value, tolerance = _number(raw_value), _number(raw_tol)
        else:
            value, tolerance = _number(chunk), 0.0
    except ValueError:
        raise _Refused(
            _("“%(value)s” is not a number, a value:tolerance or a range.")
            % {"value": chunk}
        ) from None
    return {
        "value": value,
        "tolerance": tolerance,
        "fraction": 1.0 if weight is None else weight,
        "feedback": _formatted(feedback, fmt),
    }


def _numeric(body: str, fmt: str) -> dict:
    """`{#3:2}`, `{#1..5}`, `{#=%50%2:1#close =3#right ~#wrong}` (Moodle: what follows
    the first `~` is the feedback for any other number, the answer `*`)."""
    body = body.strip()[1:]
    wrong_at = _find(body, "~")
    wrong = None
    if wrong_at != -1:
        body, wrong = body[:wrong_at], body[wrong_at + 1 :]
    entries = [c for _m, c in _split_unescaped(body, "=") if c.strip()]
    if not entries:
        raise _Refused(_("the numeric question has no answer"))
    answers = [_numeric_answer(chunk, fmt) for chunk in entries]
    if wrong is not None:
        _value, feedback = _split_feedback(wrong)
        answers.append(
            {
                "value": "*",
                "tolerance": 0.0,
                "fraction": 0.0,
                "feedback": _formatted(feedback, fmt),
            }
        )
    return {"answers": answers, "units": []}


def _true_false(body: str, fmt: str) -> dict | None:
    head, *feedbacks = [part for _m, part in _split_unescaped(body.strip(), "#")] or [
        ""
    ]
    value = unescape(head).upper()
    if value not in ("T", "TRUE", "F", "FALSE"):
        return None
    answer = value.startswith("T")
    wrong = _formatted(feedbacks[0], fmt) if feedbacks else ""
    right = _formatted(feedbacks[1], fmt) if len(feedbacks) > 1 else ""
    return {
        "answer": answer,
        "feedback_true": right if answer else wrong,
        "feedback_false": wrong if answer else right,
    }


def _matching(entries: list[tuple[str, str]], fmt: str) -> tuple[str, dict]:
    pairs, distractors = [], []
    for _marker_char, chunk in entries:
        at = chunk.find("->")
        if at == -1:
            raise _Refused(_("every matching answer needs “->”"))
        prompt, answer = _formatted(chunk[:at], fmt), unescape(chunk[at + 2 :])
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    return "matching", {"pairs": pairs, "distractors": distractors}


def _answers(body: str, fmt: str) -> tuple[str, dict]:
    entries = [(m, c) for m, c in _split_unescaped(body, "=~") if m]
    if not entries:
        raise _Refused(_("the answer block has no answers (= or ~)"))
    if any("->" in chunk for _m, chunk in entries):
        return _matching(entries, fmt)
    options = []
    for marker, chunk in entries:
        chunk, feedback = _split_feedback(chunk)
        weight, chunk = _weight(chunk)
        if weight is None:
            weight = 1.0 if marker == "=" else 0.0
        options.append(
            {
                "text": _formatted(chunk, fmt),
                "fraction": weight,
                "feedback": _formatted(feedback, fmt),
            }
        )
    if all(marker == "=" for marker, _c in entries):
        return "short_answer", {"answers": options}
    # Moodle: one choice allowed when any answer is marked "=", several otherwise.
    if any(marker == "=" for marker, _c in entries):
        return "single_choice", {"options": options}
    return "multiple_response", {"options": options}


def _grades(kind: str, data: dict) -> list[float]:
    entries = data.get("options") or data.get("answers") or []
    return [float(entry["fraction"]) for entry in entries]


def _blocks(text: str):
    """Yield (first line number, lines) of each blank-line-separated block."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _parse_block(body: str, position: int, topic: str, difficulty: str):
    name = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end == -1:
            raise _Refused(_("the title is not closed with ::"))
        name, body = unescape(body[2:end]), body[end + 2 :].lstrip()
    fmt, body = _marker(body, "moodle")
    open_at = _find(body, "{")
    if open_at == -1:
        return ParseProblem(position, _("description (not a question): skipped"), True)
    close_at = _find(body, "}", open_at)
    if close_at == -1:
        raise _Refused(_("the answer block is not closed with }"))
    before, inner, after = (
        body[:open_at],
        body[open_at + 1 : close_at],
        body[close_at + 1 :],
    )
    # Moodle: answers at the end leave the text as it is; answers inside it
    # (missing word) leave a blank where they were.
    stem = _formatted(f"{before}_____{after}" if after.strip() else before, fmt)
    inner, explanation = _general_feedback(inner)
    explanation = _formatted(explanation, fmt)
    if not inner.strip():
        kind, data = "essay", {}
    elif inner.strip().startswith("#"):
        kind, data = "numeric", _numeric(inner, fmt)
    elif (tf := _true_false(inner, fmt)) is not None:
        kind, data = "true_false", tf
    else:
        kind, data = _answers(inner, fmt)
    try:
        check_grades(_grades(kind, data))
    except ValidationError as exc:
        raise _Refused(exc.messages[0]) from None
    return ParsedQuestion(
        position=position,
        kind=kind,
        stem=stem,
        data=data,
        topic=topic,
        name=name,
        difficulty=difficulty,
        explanation=explanation,
    )


_TAG_DIFFICULTY = re.compile(r"\[tag:\s*difficulty:\s*(\w+)\s*\]", re.IGNORECASE)


def _comment_difficulty(comment: str) -> str | None:
    match = _DIFFICULTY.match(comment) or _TAG_DIFFICULTY.search(comment)
    return match.group(1).lower() if match else None


def parse(text: str) -> list:
    """Parse GIFT text; a bad question is reported with its line, the rest parse."""
    results: list = []
    topic = ""
    for line_number, lines in _blocks(text):
        difficulty = "medium"
        kept: list[str] = []
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                difficulty = _comment_difficulty(stripped) or difficulty
                continue
            if stripped.startswith("$CATEGORY:"):
                topic = join_path(split_path(stripped[len("$CATEGORY:") :]))
                continue
            kept.append(line)
        if not kept:
            continue
        body = "\n".join(kept).strip()
        try:
            parsed = _parse_block(body, line_number, topic, difficulty)
        except _Refused as exc:
            parsed = ParseProblem(line_number, str(exc))
        results.append(parsed)
    return results
