"""The day of the test: an exam and a rubric for 7531 (skilled), a session running
now with a booked candidate, and helpers that sit both parts through assessments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments import selectors as assessments_selectors
from assessments import services as assessments_services
from assessments.models import (
    AttemptItem,
    BlueprintRule,
    ExamBlueprint,
    PerformanceLevel,
    QuestionBank,
    Rubric,
    RubricCriterion,
)
from assessments.question_types import get_kind
from registry.models import Occupation, SkillLevel
from tests.skilltests.conftest import move_session

OPTIONS = [
    {"text": "مقص القماش", "fraction": 1},
    {"text": "مفك", "fraction": 0},
    {"text": "شاكوش", "fraction": 0},
]


@pytest.fixture
def exam_and_rubric(db):
    """A theory exam (two questions, 10 minutes, no course asked of admitted
    candidates only) and a two-criterion rubric for 7531 skilled."""
    occupation = Occupation.objects.get(code="7531")
    level = SkillLevel.objects.get(code="skilled")
    bank = QuestionBank.objects.create(
        slug="day-7531", title="بنك الخياطة", occupation=occupation, skill_level=level
    )
    for n in range(2):
        assessments_services.question_create(
            bank_id=bank.pk,
            topic_name="الأدوات",
            kind="single_choice",
            stem=f"أي أداة لقص القماش؟ {n}",
            data={"options": OPTIONS},
            difficulty="medium",
        )
    blueprint = ExamBlueprint.objects.create(
        slug="day-7531-exam",
        title="اختبار الخياطة النظري",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        time_limit_s=600,
        pass_mark_percent=60,
        attempts_allowed=2,
    )
    BlueprintRule.objects.create(blueprint=blueprint, topic=bank.topics.get(), count=2)
    rubric = Rubric.objects.create(
        title="عملي الخياطة", occupation=occupation, skill_level=level
    )
    for position, title in enumerate(["القص", "الحياكة"]):
        criterion = RubricCriterion.objects.create(
            rubric=rubric, position=position, title=title, weight=1
        )
        for label, fraction in [("ممتاز", "1"), ("مقبول", "0.5"), ("ضعيف", "0")]:
            PerformanceLevel.objects.create(
                criterion=criterion, label=label, fraction=fraction
            )
    return blueprint, rubric


@pytest.fixture
def book_today(booked, publish):
    """`book_today(user, minutes=-10, **session)`: (application, session): booked
    into a session published for next week, then moved to start `minutes` from now
    (the form refuses sessions that soon, booking refuses sessions that started)."""

    def make(user, minutes: int = -10, session=None, **overrides):
        session = session or publish(**overrides)
        application, session = booked(user, session=session)
        move_session(session.id, timezone.now() + dt.timedelta(minutes=minutes))
        return application, session

    return make


@pytest.fixture
def on_the_day(book_today, applicant):
    """(application, session): the applicant booked into a session that started ten
    minutes ago."""
    return book_today(applicant)


def answer_theory(attempt_id: int, user, *, right: bool = True) -> None:
    """Answer every question (all right or all wrong) and submit."""
    for item in AttemptItem.objects.filter(attempt_id=attempt_id):
        data = item.snapshot["data"]
        response = (
            get_kind(item.snapshot["kind"]).correct_response(data)
            if right
            else min(data["options"], key=lambda o: o["fraction"])["id"]
        )
        assessments_services.attempt_answer_save(
            attempt_id=attempt_id,
            user_id=user.pk,
            position=item.position,
            response=response,
            seq=1,
        )
    assessments_services.attempt_submit(attempt_id=attempt_id, user_id=user.pk)


def score_practical(practical_id: int, assessor, *, best: bool = True) -> None:
    """Score every criterion (best or worst level) and confirm the summary."""
    sheet = assessments_selectors.practical_sheet_get(
        assessment_id=practical_id, assessor_id=assessor.pk
    )
    levels = {}
    for criterion in sheet.criteria:
        options = sorted(criterion.levels, key=lambda o: o.fraction)
        levels[criterion.id] = (options[-1] if best else options[0]).id
    assessments_services.practical_assessment_score(
        assessment_id=practical_id, assessor_id=assessor.pk, levels=levels
    )
    summary = assessments_selectors.practical_summary_get(
        assessment_id=practical_id, assessor_id=assessor.pk
    )
    assessments_services.practical_assessment_confirm(
        assessment_id=practical_id, assessor_id=assessor.pk, token=summary.token
    )
