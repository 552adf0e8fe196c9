"""What a trainee's browser reads from the pages the surge opens, and the answers it
builds from them: the same fields lesson.js and exam.js read (no keys ever reach a
page, so the answers are a trainee's guesses)."""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field

_LESSON_ID = re.compile(r'id="lesson" data-lesson="(\d+)"')
_VIDEO = re.compile(r'data-asset-id="(\d+)"[^>]*?data-duration="([\d.]+)"', re.S)
_NEXT = re.compile(r'rel="next" href="([^"]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CHECK_FORM = re.compile(r'<form class="kc"[^>]*>.*?</form>', re.S)
_CHECK_ID = re.compile(r'data-check="([^"]+)"')
_CHECK_ATTEMPT = re.compile(r'data-attempt="(\d+)"')
_FIELDSET = re.compile(r'<fieldset data-q="(\d+)">(.*?)</fieldset>', re.S)
_CHOICE = re.compile(r'<input type="(radio|checkbox)" name="q\d+" value="(\d+)"')
_SAVE_URL = re.compile(r'data-save-url="([^"]+)" data-kind="([a-z_]+)"')
_OPTION_INPUT = re.compile(
    r'<input type="(?:radio|checkbox)" name="response" value="([^"]*)"'
)
_SELECT = re.compile(r'<select id="m-[^"]+" name="m-([^"]+)">(.*?)</select>', re.S)
_OPTION = re.compile(r'<option dir="auto"[^>]*>(.*?)</option>', re.S)
_ORDERING = re.compile(r'<input id="o-[^"]+" name="o-([^"]+)"')
_GO_NEXT = re.compile(r'class="primary" type="submit" name="go" value="(\d+)"')


@dataclass(frozen=True)
class Check:
    block_id: str
    attempt: int | None
    # per question index: (multiple choice allowed, positions shown)
    questions: dict[int, tuple[bool, list[int]]]


@dataclass(frozen=True)
class Lesson:
    lesson_id: int
    video: tuple[int, int] | None  # (asset id, duration s) of the longest video
    checks: list[Check]
    next_url: str | None
    check_base: str | None = None


@dataclass(frozen=True)
class Question:
    save_url: str
    kind: str
    csrf: str
    go_next: int  # the "Save and next" button's target (0: the review page)
    options: list[str] = field(default_factory=list)
    prompts: dict[str, list[str]] = field(default_factory=dict)  # matching
    steps: list[str] = field(default_factory=list)  # ordering


def csrf_token(text: str) -> str:
    """The form's CSRF token (the sign-in form, an exam question)."""
    found = _CSRF.search(text)
    return found.group(1) if found else ""


def lesson_links(course_html: str, course_url: str) -> list[str]:
    """The course outline's lesson pages (course/module/lesson/), in order."""
    pattern = re.compile('href="(' + re.escape(course_url) + r'[^"/#]+/[^"/#]+/)"')
    return list(dict.fromkeys(pattern.findall(course_html)))


def parse_lesson(text: str) -> Lesson:
    lesson = _LESSON_ID.search(text)
    if lesson is None:
        raise ValueError("not a lesson page")
    videos = [(int(a), round(float(d))) for a, d in _VIDEO.findall(text)]
    checks = []
    for form in _CHECK_FORM.findall(text):
        attempt = _CHECK_ATTEMPT.search(form)
        questions = {}
        for index, body in _FIELDSET.findall(form):
            choices = _CHOICE.findall(body)
            multiple = any(kind == "checkbox" for kind, _ in choices)
            questions[int(index)] = (multiple, [int(v) for _, v in choices])
        checks.append(
            Check(
                block_id=_CHECK_ID.search(form).group(1),
                attempt=int(attempt.group(1)) if attempt else None,
                questions=questions,
            )
        )
    base = re.search(r'data-check="(/api/v1/lessons/\d+/checks/)"', text)
    following = _NEXT.search(text)
    return Lesson(
        lesson_id=int(lesson.group(1)),
        video=max(videos, key=lambda v: v[1]) if videos else None,
        checks=checks,
        next_url=html.unescape(following.group(1)) if following else None,
        check_base=base.group(1) if base else None,
    )


def check_answers(check: Check, rng: random.Random) -> dict[str, list[int]]:
    """A trainee's guess: one choice per question, one or two where several apply."""
    answers = {}
    for index, (multiple, positions) in check.questions.items():
        k = min(len(positions), rng.choice((1, 2)) if multiple else 1)
        answers[str(index)] = sorted(rng.sample(positions, k))
    return answers


def next_try(check: Check, shown: dict) -> Check:
    """The check as the answer's `next` shows it: the next try's number and order."""
    questions = {
        q["index"]: (check.questions.get(q["index"], (False, []))[0],
                     [c["position"] for c in q["choices"]])
        for q in shown["questions"]
    }  # fmt: skip
    return Check(block_id=check.block_id, attempt=shown["attempt"], questions=questions)


def parse_question(text: str) -> Question:
    found = _SAVE_URL.search(text)
    if found is None:
        raise ValueError("not an exam question page")
    go = _GO_NEXT.search(text)
    prompts = {
        pid: [html.unescape(o) for o in _OPTION.findall(body)]
        for pid, body in _SELECT.findall(text)
    }
    return Question(
        save_url=found.group(1),
        kind=found.group(2),
        csrf=csrf_token(text),
        go_next=int(go.group(1)) if go else 0,
        options=[html.unescape(v) for v in _OPTION_INPUT.findall(text)],
        prompts=prompts,
        steps=_ORDERING.findall(text),
    )


_TEXTS = {
    "numeric": ["12", "220", "3.5", "40"],
    "short_answer": ["الضاغط", "المكثف", "مفك", "الخيط"],
    "essay": [
        "أبدأ بفصل الكهرباء ثم أتأكد من عدم وجود تسريب.",
        "أقيس المقاسات مرتين قبل القص وأسجلها في الجدول.",
    ],
}


def exam_answer(question: Question, rng: random.Random) -> object:
    """An answer as exam.js sends it (JSON): strings from the form's fields."""
    kind = question.kind
    if kind in ("single_choice", "true_false"):
        return rng.choice(question.options or ["true", "false"])
    if kind == "multiple_response":
        k = min(len(question.options), rng.choice((1, 2)))
        return sorted(rng.sample(question.options, k))
    if kind == "matching":
        return {pid: rng.choice(choices) for pid, choices in question.prompts.items()}
    if kind == "ordering":
        return rng.sample(question.steps, len(question.steps))
    return rng.choice(_TEXTS.get(kind, _TEXTS["essay"]))


def exam_form(question: Question, answer: object) -> list[tuple[str, str]]:
    """The same answer as the form's fields ("Save and next" without JavaScript's
    help posts the form too)."""
    kind = question.kind
    if kind == "matching":
        return [(f"m-{pid}", choice) for pid, choice in dict(answer).items()]
    if kind == "ordering":
        return [(f"o-{step}", str(rank)) for rank, step in enumerate(answer, 1)]
    if isinstance(answer, list):
        return [("response", value) for value in answer]
    return [("response", str(answer))]
