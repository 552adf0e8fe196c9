"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format).

Supported: single and multiple choice (percent weights), true/false, short answer,
matching, numerical (value:tolerance, ranges, several answers), essay, description
(skipped), `$CATEGORY:` (→ topic), `::titles::`, `[html]`/`[plain]` prefixes,
per-answer `#feedback`, general `####feedback`, escapes (\\~ \\= \\# \\{ \\} \\:).
A comment line `// difficulty: hard` sets the next question's difficulty.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from assessments.importers import ParsedQuestion, ParseProblem, html_to_text

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


def _rich(text: str, is_html: bool) -> str:
    text = unescape(text)
    return html_to_text(text)[0] if is_html else text


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


def _numeric(body: str) -> dict:
    body = body.strip()[1:].strip()
    entries = _split_unescaped(body, "=") if body.startswith("=") else [("", body)]
    answers = []
    for _marker, chunk in entries:
        chunk, feedback = _split_feedback(chunk)
        weight, chunk = _weight(chunk)
        chunk = unescape(chunk)
        try:
            if ".." in chunk:
                low, high = (float(x) for x in chunk.split("..", 1))
                value, tolerance = (low + high) / 2, abs(high - low) / 2
            elif ":" in chunk:
                raw_value, raw_tol = chunk.split(":", 1)
                value, tolerance = float(raw_value), float(raw_tol)
            else:
                value, tolerance = float(chunk), 0.0
        except ValueError:
            raise _Refused(
                _("“%(value)s” is not a number, a value:tolerance or a range.")
                % {"value": chunk}
            ) from None
        answers.append(
            {
                "value": value,
                "tolerance": tolerance,
                "fraction": 1.0 if weight is None else weight,
                "feedback": unescape(feedback),
            }
        )
    return {"answers": answers, "units": []}


def _true_false(body: str) -> dict | None:
    head, *feedbacks = [part for _m, part in _split_unescaped(body.strip(), "#")] or [
        ""
    ]
    value = unescape(head).upper()
    if value not in ("T", "TRUE", "F", "FALSE"):
        return None
    answer = value.startswith("T")
    wrong = unescape(feedbacks[0]) if feedbacks else ""
    right = unescape(feedbacks[1]) if len(feedbacks) > 1 else ""
    return {
        "answer": answer,
        "feedback_true": right if answer else wrong,
        "feedback_false": wrong if answer else right,
    }


def _answers(body: str, is_html: bool) -> tuple[str, dict]:
    entries = [(m, c) for m, c in _split_unescaped(body, "=~") if m]
    if not entries:
        raise _Refused(_("the answer block has no answers (= or ~)"))
    if any("->" in chunk for _m, chunk in entries):
        pairs, distractors = [], []
        for _marker, chunk in entries:
            if "->" not in chunk:
                raise _Refused(_("every matching answer needs “->”"))
            prompt, answer = chunk.split("->", 1)
            prompt, answer = _rich(prompt, is_html), unescape(answer)
            if prompt:
                pairs.append({"prompt": prompt, "answer": answer})
            else:
                distractors.append(answer)
        return "matching", {"pairs": pairs, "distractors": distractors}
    options = []
    for marker, chunk in entries:
        chunk, feedback = _split_feedback(chunk)
        weight, chunk = _weight(chunk)
        if weight is None:
            weight = 1.0 if marker == "=" else 0.0
        options.append(
            {
                "text": _rich(chunk, is_html),
                "fraction": weight,
                "feedback": unescape(feedback),
            }
        )
    if all(marker == "=" for marker, _c in entries):
        return "short_answer", {
            "answers": [
                {
                    "text": o["text"],
                    "fraction": o["fraction"],
                    "feedback": o["feedback"],
                }
                for o in options
            ]
        }
    full = [o for o in options if o["fraction"] >= 0.999]
    if len(full) == 1 and all(o["fraction"] <= 0 or o in full for o in options):
        return "single_choice", {"options": options}
    return "multiple_response", {"options": options}


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
    is_html = False
    fmt = re.match(r"^\[(html|moodle|plain|markdown)\]", body)
    if fmt:
        is_html = fmt.group(1) == "html"
        body = body[fmt.end() :]
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
    stem = _rich(before, is_html)
    if after.strip():
        stem = f"{stem} _____ {_rich(after, is_html)}".strip()
    inner, explanation = _general_feedback(inner)
    explanation = unescape(explanation)
    if not inner.strip():
        kind, data = "essay", {}
    elif inner.strip().startswith("#"):
        kind, data = "numeric", _numeric(inner)
    elif (tf := _true_false(inner)) is not None:
        kind, data = "true_false", tf
    else:
        kind, data = _answers(inner, is_html)
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
                match = _DIFFICULTY.match(stripped)
                if match:
                    difficulty = match.group(1).lower()
                continue
            if stripped.startswith("$CATEGORY:"):
                path = stripped[len("$CATEGORY:") :].strip()
                parts = [
                    p for p in path.split("/") if p and p not in ("$course$", "top")
                ]
                topic = parts[-1] if parts else ""
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
