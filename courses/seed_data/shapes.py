"""The shapes the demo curricula are written in (courses.seed turns them into pages).

A lesson is a sequence of blocks, as an author would lay it out, then a knowledge
check. A question names its right and wrong answers apart; the seed places the right
ones so that, over every check, each place holds a right answer about equally often.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Figure:
    """An illustration: an SVG file (seed_assets/svg/<trade>/), alt text, caption."""

    svg: str
    alt: str
    caption: str


@dataclass(frozen=True)
class Step:
    text: str
    figure: Figure | None = None


@dataclass(frozen=True)
class Steps:
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Safety:
    severity: str  # "caution" or "danger"
    title: str
    text: str


@dataclass(frozen=True)
class Tools:
    title: str
    items: tuple[tuple[str, str], ...]  # (name, note)


@dataclass(frozen=True)
class Question:
    prompt: str
    right: tuple[str, ...]
    wrong: tuple[str, ...]
    explanation: str

    @property
    def kind(self) -> str:
        return "single" if len(self.right) == 1 else "multiple"


Block = Text | Heading | Figure | Steps | Safety | Tools


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    minutes: int
    blocks: tuple[Block, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class Slide:
    """One slide of a demonstration video: a figure, a heading, what is said."""

    svg: str
    heading: str
    narration: tuple[str, ...]


@dataclass(frozen=True)
class DemoVideo:
    title: str
    lesson: str  # "module-slug/lesson-slug": where the video block goes
    minutes: int  # counted in that lesson's stated minutes
    caption: str
    slides: tuple[Slide, ...]


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    hours: int
    audience: str
    prerequisites: str
    accessibility: str


@dataclass(frozen=True)
class Curriculum:
    trade_slug: str
    occupation_code: str
    trade_title: str
    trade_code: str
    intro: str
    course: Course
    modules: tuple[Module, ...]
    video: DemoVideo | None = None


# Short helpers, so the curricula read like the lessons they are.
def text(*paragraphs: str) -> Text:
    return Text(paragraphs)


def steps(title: str, *items: str | Step) -> Steps:
    return Steps(title, tuple(i if isinstance(i, Step) else Step(i) for i in items))


def tools(title: str, *items: tuple[str, str]) -> Tools:
    return Tools(title, items)


def ask(prompt: str, right: str | tuple[str, ...], wrong: tuple[str, ...], why: str):
    return Question(prompt, right if isinstance(right, tuple) else (right,), wrong, why)
