"""`seed_demo` for courses: the catalog, three trades and their Arabic curricula
(courses.seed_data), with their illustrations and demonstration videos.

Idempotent: pages are found by slug. A page the seed made and nobody edited since
(its latest revision has no user) is brought up to date when the curriculum
changed, and retired (unpublished) when the curriculum no longer has it; a page an
editor touched is left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from wagtail.models import Page

from content.blocks import LessonStreamBlock
from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, TradePage
from courses.seed.blocks import ChoicePlacer, lesson_body
from courses.seed.media import Illustrations, demo_video_id, narrated_videos_wanted
from courses.seed_data import CURRICULA, shapes
from registry.selectors import occupation_get, skill_level_list

__all__ = ["CURRICULA", "seed_courses"]

# The demo exams (assessments' seed) test this level: the courses must match it,
# or completing a course never makes its exam available.
DEMO_LEVEL_CODE = "skilled"


@dataclass
class _Tally:
    created: int = 0
    updated: int = 0
    retired: int = 0
    images: int = 0
    kept: set[int] = field(default_factory=set)


def _seed_owned(page: Page) -> bool:
    revision = page.latest_revision
    return revision is None or revision.user_id is None


def _normal_body(raw: Any) -> str:
    block = LessonStreamBlock()
    return json.dumps(block.get_prep_value(block.to_python(list(raw))), sort_keys=True)


def _differs(page: Page, fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        if name == "body":
            if _normal_body(page.body.raw_data) != _normal_body(value):
                return True
        elif getattr(page, name) != value:
            return True
    return not page.live


def _ensure(parent: Page, model, slug: str, fields: dict, tally: _Tally, legacy=""):
    """The child page with this slug, made or brought up to date."""
    children = model.objects.child_of(parent)
    page = children.filter(slug=slug).first()
    renamed = False
    if page is None and legacy:
        old = children.filter(slug=legacy).first()
        if old is not None and _seed_owned(old):
            page, old.slug, renamed = old, slug, True
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
        tally.created += 1
        tally.kept.add(page.pk)
        return model.objects.get(pk=page.pk), True
    if _seed_owned(page) and (renamed or _differs(page, fields)):
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
        tally.updated += 1
        page = model.objects.get(pk=page.pk)  # publish saved a copy (url paths)
    tally.kept.add(page.pk)
    return page, False


def _retire(course: CoursePage, tally: _Tally) -> None:
    """Unpublish the seed's own pages under a demo course that the curriculum no
    longer has (e.g. after a module was renamed)."""
    for page in course.get_descendants().live().specific():
        if page.pk not in tally.kept and _seed_owned(page):
            page.unpublish()
            tally.retired += 1


def _videos(stdout) -> dict[str, dict]:
    """Lesson path ("trade/module/lesson") → the video block's value."""
    if narrated_videos_wanted():
        videos = {}
        for curriculum in CURRICULA:
            asset_id = demo_video_id(curriculum, stdout)
            if asset_id is not None and curriculum.video is not None:
                path = f"{curriculum.trade_slug}/{curriculum.video.lesson}"
                videos[path] = {"video": asset_id, "caption": curriculum.video.caption}
        return videos
    from content.selectors import video_demo_get

    clip = video_demo_get()  # the media pipeline's test clip, once it is ready
    if clip is None:
        return {}
    first = CURRICULA[0]
    module = first.modules[0]
    path = f"{first.trade_slug}/{module.slug}/{module.lessons[0].slug}"
    return {path: {"video": clip.id, "caption": clip.title}}


def _curriculum(catalog, curriculum: shapes.Curriculum, context: dict, tally: _Tally):
    occupation = occupation_get(code=curriculum.occupation_code)
    trade, _ = _ensure(
        catalog,
        TradePage,
        curriculum.trade_slug,
        {
            "title": curriculum.trade_title,
            "trade": curriculum.trade_code,
            "occupation_id": occupation.id,
            "intro": curriculum.intro,
        },
        tally,
    )
    info = curriculum.course
    course, created = _ensure(
        trade,
        CoursePage,
        info.slug,
        {
            "title": info.title,
            "summary": info.summary,
            "occupation_id": occupation.id,
            "skill_level_id": context["level"].id,
            "estimated_hours": info.hours,
            "audience": info.audience,
            "prerequisites": info.prerequisites,
            "accessibility_notes": info.accessibility,
        },
        tally,
        legacy=f"{curriculum.trade_slug}-basics",  # the slugs before issue #20
    )
    if created and context["instructor"] is not None:
        course.instructors.add(context["instructor"])
        course.save_revision().publish()
    images = Illustrations(curriculum.trade_slug)
    for module_spec in curriculum.modules:
        module, _ = _ensure(
            course,
            ModulePage,
            module_spec.slug,
            {"title": module_spec.title, "summary": module_spec.summary},
            tally,
        )
        for lesson in module_spec.lessons:
            path = f"{curriculum.trade_slug}/{module_spec.slug}/{lesson.slug}"
            body = lesson_body(
                key=f"{curriculum.trade_slug}/{info.slug}/{module_spec.slug}/{lesson.slug}",
                lesson=lesson,
                image_for=images,
                placer=context["placer"],
                video=context["videos"].get(path),
            )
            fields = {
                "title": lesson.title,
                "summary": lesson.summary,
                "estimated_minutes": lesson.minutes,
                "body": body,
            }
            _ensure(module, LessonPage, lesson.slug, fields, tally)
    _retire(course, tally)
    tally.images += images.created


def seed_courses(stdout) -> None:
    from django.contrib.auth import get_user_model

    videos = _videos(stdout)  # made (once) outside the pages' transaction
    tally = _Tally()
    with transaction.atomic():
        home = Page.objects.get(depth=2).specific
        catalog, _ = _ensure(
            home,
            CatalogPage,
            "courses",
            {
                "title": "الدورات",
                "intro": "اختر حرفة، ثم دورة تناسب مستواك. كل الدورات مجانية.",
            },
            tally,
        )
        levels = skill_level_list()
        context = {
            "level": next(
                (lv for lv in levels if lv.code == DEMO_LEVEL_CODE), levels[0]
            ),
            "instructor": get_user_model()
            .objects.filter(username="instructor")
            .first(),
            "placer": ChoicePlacer(),
            "videos": videos,
        }
        for curriculum in CURRICULA:
            _curriculum(catalog, curriculum, context, tally)
    stdout.write(
        f"courses: {len(CURRICULA)} trades; pages {tally.created} new, "
        f"{tally.updated} brought up to date, {tally.retired} retired; "
        f"{tally.images} new illustrations; {len(videos)} lesson videos"
    )


seed_courses.order = 30  # after users (home) and registry reference data
