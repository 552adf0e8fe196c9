"""A small course tree built through Wagtail's tree API (real pages, real DB)."""

from __future__ import annotations

import uuid

import pytest
from wagtail.models import Page

from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, TradePage
from registry.models import Occupation, SkillLevel


def check_block(block_id: str | None = None) -> dict:
    return {
        "type": "knowledge_check",
        "id": block_id or str(uuid.uuid4()),
        "value": {
            "title": "",
            # says at once which answers were right: these tests are about scoring
            # (the reveal policy: tests/courses/test_checks_fair.py)
            "reveal": "tries",
            "reveal_after_tries": 1,
            "questions": [
                {
                    "prompt": "ما لون سلك الأرضي؟",
                    "kind": "single",
                    "choices": [
                        {"text": "أخضر/أصفر", "correct": True},
                        {"text": "أحمر", "correct": False},
                    ],
                    "explanation": "الأرضي أخضر مخطط بالأصفر.",
                },
                {
                    "prompt": "أي مما يلي أدوات حماية؟",
                    "kind": "multiple",
                    "choices": [
                        {"text": "نظارة واقية", "correct": True},
                        {"text": "قفازات عازلة", "correct": True},
                        {"text": "ساعة يد", "correct": False},
                    ],
                    "explanation": "",
                },
            ],
        },
    }


def video_block(asset_id: int) -> dict:
    return {
        "type": "video",
        "id": str(uuid.uuid4()),
        "value": {"video": asset_id, "caption": ""},
    }


def text_block(text: str) -> dict:
    return {"type": "text", "id": str(uuid.uuid4()), "value": f"<p>{text}</p>"}


class TreeBuilder:
    def __init__(self):
        self.home = Page.objects.get(depth=2).specific
        self.catalog = self.home.add_child(
            instance=CatalogPage(title="الدورات", slug="courses")
        )
        self.occupation = Occupation.objects.get(code="7127")
        self.level = SkillLevel.objects.order_by("rank").first()
        self.trade = self.catalog.add_child(
            instance=TradePage(
                title="التبريد والتكييف",
                slug="refrigeration",
                trade="refrigeration_ac",
                occupation=self.occupation,
            )
        )

    def course(
        self,
        *,
        modules: int = 1,
        lessons: int = 2,
        body=None,
        slug: str | None = None,
        **kwargs,
    ) -> CoursePage:
        defaults = {
            "title": "أساسيات التكييف",
            "slug": slug or f"course-{uuid.uuid4().hex[:6]}",
            "occupation": self.occupation,
            "skill_level": self.level,
        }
        defaults.update(kwargs)
        course = self.trade.add_child(instance=CoursePage(**defaults))
        for m in range(modules):
            module = course.add_child(
                instance=ModulePage(title=f"الوحدة {m + 1}", slug=f"module-{m + 1}")
            )
            for n in range(lessons):
                lesson_body = body() if callable(body) else (body or [])
                module.add_child(
                    instance=LessonPage(
                        title=f"الدرس {m + 1}.{n + 1}",
                        slug=f"lesson-{m + 1}-{n + 1}",
                        body=lesson_body,
                    )
                )
        return course


@pytest.fixture
def tree(db):
    return TreeBuilder()


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


@pytest.fixture
def api(trainee):
    """The API as a signed-in trainee."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(trainee)
    return client
