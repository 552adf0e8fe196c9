"""`seed_demo` for courses: the catalog, three trades and their Arabic curricula.

Idempotent: pages are looked up by slug and only missing ones are created.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import transaction
from wagtail.models import Page

from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, TradePage
from courses.seed_data import CURRICULA
from registry.selectors import occupation_get, skill_level_list

# The demo exams (assessments' seed) test this level: the courses must match it,
# or completing a course never makes its exam available.
DEMO_LEVEL_CODE = "skilled"

# Fixed ids keep block ids stable across runs (and so trainees' check results).
_NS = uuid.UUID("5b2f6c1e-8f7a-4d55-9a51-4d1c0f7e2a10")


def _block_id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def _placed(prompt: str, choices: list[str], correct: list[int]) -> list[dict]:
    """The choices rotated so the right one lands at a place the prompt decides:
    the curricula list it first, and a trainee must not learn that (the lesson
    page shuffles them per try too, unless an author pins the order)."""
    n = len(choices)
    target = int(hashlib.sha256(prompt.encode()).hexdigest(), 16) % n
    shift = (target - min(correct)) % n
    return [
        {"text": choices[(i - shift) % n], "correct": (i - shift) % n in correct}
        for i in range(n)
    ]


def _lesson_body(key: str, paragraphs, extra, questions) -> list[dict]:
    body = [
        {
            "type": "text",
            "id": _block_id(key, "text"),
            "value": "".join(f"<p>{p}</p>" for p in paragraphs),
        }
    ]
    if extra and extra[0] == "safety":
        _, severity, title, text = extra
        body.append(
            {
                "type": "safety",
                "id": _block_id(key, "safety"),
                "value": {"severity": severity, "title": title, "text": text},
            }
        )
    elif extra and extra[0] == "procedure":
        _, title, steps = extra
        body.append(
            {
                "type": "procedure",
                "id": _block_id(key, "procedure"),
                "value": {
                    "title": title,
                    "steps": [
                        {"image": None, "alt": "", "text": step} for step in steps
                    ],
                },
            }
        )
    body.append(
        {
            "type": "knowledge_check",
            "id": _block_id(key, "check"),
            "value": {
                "title": "",
                "questions": [
                    {
                        "prompt": prompt,
                        "kind": kind,
                        "choices": _placed(prompt, choices, correct),
                        "explanation": explanation,
                    }
                    for prompt, kind, choices, correct, explanation in questions
                ],
            },
        }
    )
    return body


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page, True


@transaction.atomic
def seed_courses(stdout) -> None:
    from django.contrib.auth import get_user_model

    home = Page.objects.get(depth=2).specific
    catalog, _ = _child(
        home,
        CatalogPage,
        "courses",
        title="الدورات",
        intro="اختر حرفة، ثم دورة تناسب مستواك. كل الدورات مجانية.",
    )
    levels = skill_level_list()
    level = next((lv for lv in levels if lv.code == DEMO_LEVEL_CODE), levels[0])
    instructor = get_user_model().objects.filter(username="instructor").first()
    created_lessons = 0
    for curriculum in CURRICULA:
        trade_slug, occupation_code, trade_title, trade_code = curriculum["trade"]
        occupation = occupation_get(code=occupation_code)
        trade, _ = _child(
            catalog,
            TradePage,
            trade_slug,
            title=trade_title,
            trade=trade_code,
            occupation_id=occupation.id,
            intro=curriculum["intro"],
        )
        info = curriculum["course"]
        course, course_created = _child(
            trade,
            CoursePage,
            info["slug"],
            title=info["title"],
            summary=info["summary"],
            occupation_id=occupation.id,
            skill_level_id=level.id,
            estimated_hours=info["hours"],
            audience=info["audience"],
            prerequisites=info["prerequisites"],
            accessibility_notes=info["accessibility"],
        )
        if course_created and instructor is not None:
            course.instructors.add(instructor)
            course.save_revision().publish()
        for module_slug, module_title, lessons in curriculum["modules"]:
            module, _ = _child(course, ModulePage, module_slug, title=module_title)
            for slug, title, summary, paragraphs, extra, questions in lessons:
                key = f"{info['slug']}/{module_slug}/{slug}"
                _lesson, created = _child(
                    module,
                    LessonPage,
                    slug,
                    title=title,
                    summary=summary,
                    body=_lesson_body(key, paragraphs, extra, questions),
                )
                created_lessons += int(created)
    stdout.write(f"courses: 3 trades, {created_lessons} new lessons")
    _attach_demo_video(stdout)


def _attach_demo_video(stdout) -> None:
    """Put the media pipeline's demo clip in the first lesson, once, if it is ready."""
    from content.selectors import video_demo_get

    asset = video_demo_get()
    first = CURRICULA[0]
    course_slug = first["course"]["slug"]
    module_slug, _title, lessons = first["modules"][0]
    course = CoursePage.objects.filter(slug=course_slug).first()
    if asset is None or course is None:
        return
    lesson = LessonPage.objects.descendant_of(course).filter(slug=lessons[0][0]).first()
    if lesson is None:
        return
    if any(block.block_type == "video" for block in lesson.body):
        return
    key = f"{course_slug}/{module_slug}/{lessons[0][0]}"
    body = list(lesson.body.raw_data)
    body.insert(
        1,
        {
            "type": "video",
            "id": _block_id(key, "video"),
            "value": {"video": asset.id, "caption": asset.title},
        },
    )
    lesson.body = body
    lesson.save_revision().publish()
    stdout.write(f"courses: demo video {asset.id} in “{lesson.title}”")


seed_courses.order = 30  # after users (home) and registry reference data
