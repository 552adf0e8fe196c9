"""Small fixtures for skill tests: a bank with one question of every kind, a
blueprint, a completed course (real Wagtail pages) and a rubric."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Page

from assessments import selectors, services
from assessments.models import (
    Attempt,
    AttemptItem,
    BlueprintRule,
    ExamBlueprint,
    PerformanceLevel,
    PracticalAssessment,
    Question,
    QuestionBank,
    Rubric,
    RubricCriterion,
)
from registry.models import Occupation, SkillLevel

DATA = Path(__file__).parent / "data"

KEYS = {
    "single_choice": {
        "options": [
            {"text": "فصل التيار", "fraction": 1},
            {"text": "تشغيل المروحة", "fraction": 0},
            {"text": "لحام الأنابيب", "fraction": 0},
        ]
    },
    "multiple_response": {
        "options": [
            {"text": "نظارة", "fraction": 0.5},
            {"text": "قفازات", "fraction": 0.5},
            {"text": "صندل", "fraction": -1},
        ]
    },
    "true_false": {"answer": False},
    "matching": {
        "pairs": [
            {"prompt": "المكثف", "answer": "يطرد الحرارة"},
            {"prompt": "المبخر", "answer": "يمتص الحرارة"},
        ],
        "distractors": ["يشحن البطارية"],
    },
    "ordering": {
        "items": [
            {"text": "توصيل"},
            {"text": "فتح"},
            {"text": "تشغيل"},
            {"text": "غلق"},
        ]
    },
    "numeric": {
        "answers": [{"value": 68, "tolerance": 2, "fraction": 1}],
        "units": [
            {"name": "psi", "multiplier": 1},
            {"name": "bar", "multiplier": 0.0689476},
        ],
    },
    "short_answer": {"answers": [{"text": "الضاغط", "fraction": 1}]},
    "essay": {},
}


@pytest.fixture(autouse=True)
def _english(settings):
    """Assert on the English source strings; one test checks the Arabic page."""
    from django.urls import clear_url_caches
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    with translation.override("en"):
        yield
    # i18n_patterns caches reversed URLs per language: drop the English-as-default ones
    clear_url_caches()


@pytest.fixture
def occupation(db):
    return Occupation.objects.get(code="7127")


@pytest.fixture
def level(db):
    return SkillLevel.objects.order_by("rank").first()


@pytest.fixture
def bank(occupation, level):
    return QuestionBank.objects.create(
        slug="ref-test", title="بنك التبريد", occupation=occupation, skill_level=level
    )


@pytest.fixture
def make_question(bank):
    def make(kind: str, *, topic: str = "السلامة", difficulty: str = "medium", **kw):
        created = services.question_create(
            bank_id=bank.pk,
            topic_name=topic,
            kind=kind,
            stem=kw.pop("stem", f"سؤال من نوع {kind}"),
            data=kw.pop("data", KEYS[kind]),
            difficulty=difficulty,
            **kw,
        )
        return Question.objects.get(pk=created.id)

    return make


@pytest.fixture
def objective_bank(bank, make_question):
    """Every auto-graded kind once, in two topics."""
    for kind in KEYS:
        if kind == "essay":
            continue
        topic = (
            "السلامة"
            if kind in ("single_choice", "multiple_response", "true_false")
            else "دورة التبريد"
        )
        make_question(kind, topic=topic)
    return bank


@pytest.fixture
def blueprint(objective_bank, occupation, level):
    bp = ExamBlueprint.objects.create(
        slug="ref-exam",
        title="اختبار التبريد",
        bank=objective_bank,
        occupation=occupation,
        skill_level=level,
        time_limit_s=600,
        pass_mark_percent=60,
        attempts_allowed=2,
        wait_between_attempts_s=3600,
    )
    for topic in objective_bank.topics.all():
        BlueprintRule.objects.create(
            blueprint=bp, topic=topic, count=topic.questions.count()
        )
    return bp


@pytest.fixture
def complete_course(db, occupation, level):
    """Record a real course completion for the occupation and level."""
    from courses.models import CatalogPage, CourseCompletion, CoursePage, TradePage

    home = Page.objects.get(depth=2).specific
    catalog = home.add_child(instance=CatalogPage(title="الدورات", slug="courses-t"))
    trade = catalog.add_child(
        instance=TradePage(
            title="التبريد",
            slug="ref-t",
            trade="refrigeration_ac",
            occupation=occupation,
        )
    )
    course = trade.add_child(
        instance=CoursePage(
            title="أساسيات التكييف",
            slug="course-t",
            occupation=occupation,
            skill_level=level,
        )
    )

    def complete(user):
        CourseCompletion.objects.create(
            user=user, course=course, completed_at=timezone.now()
        )

    complete.course = course
    return complete


@pytest.fixture
def eligible_trainee(trainee, complete_course):
    complete_course(trainee)
    return trainee


@pytest.fixture
def rubric(occupation, level):
    rubric = Rubric.objects.create(
        title="عملي التبريد", occupation=occupation, skill_level=level
    )
    for position, (title, weight) in enumerate([("الاسترجاع", 3), ("اللحام", 1)]):
        criterion = RubricCriterion.objects.create(
            rubric=rubric, position=position, title=title, weight=weight
        )
        for label, fraction in [("ممتاز", "1"), ("مقبول", "0.5"), ("ضعيف", "0")]:
            PerformanceLevel.objects.create(
                criterion=criterion, label=label, fraction=fraction
            )
    return rubric


def start(user, blueprint, **kw) -> Attempt:
    """Start (or resume) an attempt through the service; the row, to inspect."""
    attempt, _created = services.attempt_start(
        user_id=user.pk, blueprint_id=blueprint.pk, **kw
    )
    return Attempt.objects.get(pk=attempt.id)


def open_practical(rubric, trainee, assessor) -> PracticalAssessment:
    """Open a practical test through the service; the row, to inspect."""
    practical = services.practical_assessment_create(
        rubric_id=rubric.pk, trainee_id=trainee.pk, assessor_id=assessor.pk
    )
    return PracticalAssessment.objects.get(pk=practical.id)


def confirm_practical(assessment, assessor):
    """Submit a practical test's draft by confirming its summary (the only way)."""
    summary = selectors.practical_summary_get(
        assessment_id=assessment.pk, assessor_id=assessor.pk
    )
    return services.practical_assessment_confirm(
        assessment_id=assessment.pk, assessor_id=assessor.pk, token=summary.token
    )


def later(attempt, seconds: int) -> dt.datetime:
    return attempt.deadline_at + dt.timedelta(seconds=seconds)


def answer_all_correctly(attempt, user, *, seq: int = 1, now=None) -> None:
    """Save a full-marks answer to every question of `attempt` (a row or its data)."""
    from assessments.question_types import get_kind

    for item in AttemptItem.objects.filter(attempt_id=attempt.id):
        kind = get_kind(item.snapshot["kind"])
        services.attempt_answer_save(
            attempt_id=attempt.id,
            user_id=user.pk,
            position=item.position,
            response=kind.correct_response(item.snapshot["data"]),
            seq=seq,
            now=now,
        )
