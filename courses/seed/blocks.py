"""A curriculum lesson (courses.seed_data.shapes) as StreamField raw data.

Block ids are stable (uuid5 of the lesson's path and the block's place), so a seed
run that changes nothing rewrites nothing, and trainees' check results stay tied to
the same check. Right answers are placed by `ChoicePlacer`: over every demo check,
each place holds a right answer about equally often.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable

from courses.seed_data import shapes

# Fixed ids keep block ids stable across runs (and so trainees' check results).
_NS = uuid.UUID("5b2f6c1e-8f7a-4d55-9a51-4d1c0f7e2a10")

ImageFor = Callable[[shapes.Figure], int]


def block_id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


class ChoicePlacer:
    """Where each question's right answers go: the least-used place so far among
    questions with as many choices and as many right answers (ties broken by the
    prompt's hash, so the order does not repeat a visible pattern)."""

    def __init__(self) -> None:
        self._used: dict[tuple[int, int], list[int]] = defaultdict(list)

    def place(self, question: shapes.Question) -> list[dict]:
        items = [(text, True) for text in question.right]
        items += [(text, False) for text in question.wrong]
        n = len(items)
        used = self._used[(n, len(question.right))]
        if not used:
            used.extend([0] * n)
        salt = int(hashlib.sha256(question.prompt.encode()).hexdigest(), 16)
        start = min(range(n), key=lambda p: (used[p], (p + salt) % n))
        for offset in range(len(question.right)):
            used[(start + offset) % n] += 1
        placed: list[dict] = [{}] * n
        for offset, (text, correct) in enumerate(items):
            placed[(start + offset) % n] = {"text": text, "correct": correct}
        return placed


def _figure(image_for: ImageFor, figure: shapes.Figure) -> dict:
    return {"image": image_for(figure), "alt": figure.alt, "caption": figure.caption}


def _block(key: str, index: int, block: shapes.Block, image_for: ImageFor) -> dict:
    bid = block_id(key, str(index))
    if isinstance(block, shapes.Text):
        html = "".join(f"<p>{p}</p>" for p in block.paragraphs)
        return {"type": "text", "id": bid, "value": html}
    if isinstance(block, shapes.Heading):
        return {
            "type": "heading",
            "id": bid,
            "value": {"text": block.text, "level": "h2"},
        }
    if isinstance(block, shapes.Figure):
        return {"type": "image", "id": bid, "value": _figure(image_for, block)}
    if isinstance(block, shapes.Steps):
        steps = [
            {"image": image_for(s.figure), "alt": s.figure.alt, "text": s.text}
            if s.figure
            else {"image": None, "alt": "", "text": s.text}
            for s in block.steps
        ]
        return {
            "type": "procedure",
            "id": bid,
            "value": {"title": block.title, "steps": steps},
        }
    if isinstance(block, shapes.Safety):
        value = {"severity": block.severity, "title": block.title, "text": block.text}
        return {"type": "safety", "id": bid, "value": value}
    if isinstance(block, shapes.Tools):
        items = [{"name": name, "note": note} for name, note in block.items]
        return {
            "type": "tools",
            "id": bid,
            "value": {"title": block.title, "items": items},
        }
    raise TypeError(f"no block for {block!r}")


def lesson_body(
    *,
    key: str,
    lesson: shapes.Lesson,
    image_for: ImageFor,
    placer: ChoicePlacer,
    video: dict | None = None,
) -> list[dict]:
    """The lesson's blocks, the video (if any) after its first block, then the
    knowledge check."""
    body = [
        _block(key, index, block, image_for)
        for index, block in enumerate(lesson.blocks)
    ]
    if video is not None:
        body.insert(1, {"type": "video", "id": block_id(key, "video"), "value": video})
    questions = [
        {
            "prompt": q.prompt,
            "kind": q.kind,
            "choices": placer.place(q),
            "explanation": q.explanation,
        }
        for q in lesson.questions
    ]
    body.append(
        {
            "type": "knowledge_check",
            "id": block_id(key, "check"),
            "value": {"title": "", "questions": questions},
        }
    )
    return body
