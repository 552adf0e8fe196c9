"""Demo data for `seed_demo`: a question bank, blueprint, rubric and level policy per
trade, imported from the realistic files in tests/assessments/data/. Idempotent."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from assessments.importers import parse_file
from assessments.models import (
    BlueprintRule,
    ExamBlueprint,
    LevelPolicy,
    PerformanceLevel,
    QuestionBank,
    Rubric,
    RubricCriterion,
)
from assessments.services import questions_import
from registry.selectors import occupation_list, skill_level_list

DATA = Path(settings.BASE_DIR) / "tests" / "assessments" / "data"
POLICIES = Path(__file__).resolve().parent / "reference" / "level_policies.csv"
DEMO_LEVEL = "skilled"
OPTION_KINDS = ("single_choice", "multiple_response")

DEMO = [
    {
        "occupation": "7127",
        "slug": "refrigeration-ac-skilled",
        "title": "اختبار مستوى عامل ماهر — التبريد والتكييف",
        "file": "refrigeration_ac.xml",
        "rubric": [
            ("استرجاع غاز التبريد بأمان", 3),
            ("لحام الأنابيب واختبار التسريب", 3),
            ("شحن الغاز وقراءة الضغوط", 2),
            ("السلامة ونظافة موقع العمل", 2),
        ],
    },
    {
        "occupation": "7422",
        "slug": "mobile-repair-skilled",
        "title": "اختبار مستوى عامل ماهر — صيانة المحمول",
        "file": "mobile_repair.gift",
        "rubric": [
            ("فك الهاتف وتركيبه دون تلف", 3),
            ("تشخيص العطل بالملتيميتر", 3),
            ("استبدال منفذ الشحن باللحام", 2),
            ("الوقاية من الكهرباء الساكنة", 2),
        ],
    },
    {
        "occupation": "7531",
        "slug": "tailoring-skilled",
        "title": "اختبار مستوى عامل ماهر — الخياطة والتفصيل",
        "file": "tailoring.gift",
        "rubric": [
            ("أخذ القياسات ورسم الباترون", 3),
            ("قص القماش بهامش صحيح", 2),
            ("الخياطة على الماكينة وتشطيب الحواف", 3),
            ("جودة القطعة النهائية", 2),
        ],
    },
]
# (label, share of the weight, descriptor: what performance at this level looks like)
LEVELS = [
    (
        "ممتاز",
        "1",
        "أدّى الخطوات كلها بالترتيب الصحيح دون مساعدة، وراعى قواعد السلامة، "
        "والنتيجة مطابقة للمواصفة من المحاولة الأولى.",
    ),
    (
        "جيد",
        "0.75",
        "أدّى الخطوات كلها مع خطأ بسيط صحّحه بنفسه، دون خطر على السلامة "
        "أو على جودة النتيجة.",
    ),
    (
        "مقبول",
        "0.5",
        "أتمّ المهمة بعد توجيه أو بإعادة خطوة، والنتيجة مقبولة مع ملاحظات واضحة.",
    ),
    (
        "غير مقبول",
        "0",
        "لم يُتمّ المهمة، أو أخطأ خطأً يمسّ السلامة أو يُتلف العمل أو المعدّة.",
    ),
]


def _rubric_levels(rubric: Rubric, criteria: list[tuple[str, int]]) -> None:
    """The demo rubric's criteria and levels; descriptors filled in where a rubric
    seeded before they existed has none."""
    if not rubric.criteria.exists():
        for position, (title, weight) in enumerate(criteria):
            criterion = RubricCriterion.objects.create(
                rubric=rubric, position=position, title=title, weight=weight
            )
            for label, fraction, descriptor in LEVELS:
                PerformanceLevel.objects.create(
                    criterion=criterion,
                    label=label,
                    fraction=fraction,
                    descriptor=descriptor,
                )
        return
    for label, _fraction, descriptor in LEVELS:
        PerformanceLevel.objects.filter(
            criterion__rubric=rubric, label=label, descriptor=""
        ).update(descriptor=descriptor)


def _placed(question: Any) -> Any:
    """Rotate an option question's options so the right one lands at a place its
    position in the file decides: the demo files, like most authors, list it
    first, which a pinned question or the bank's preview would show (exams
    shuffle per attempt)."""
    data = getattr(question, "data", None)  # a ParseProblem has none
    options = data.get("options") if isinstance(data, dict) else None
    if getattr(question, "kind", "") not in OPTION_KINDS or not options:
        return question
    n = len(options)
    best = max(range(n), key=lambda i: float(options[i].get("fraction") or 0))
    target = question.position % n  # consecutive questions, consecutive places
    shift = (target - best) % n
    question.data = {**question.data, "options": options[-shift:] + options[:-shift]}
    return question


def _policies() -> None:
    occupations = {o.code: o for o in occupation_list()}
    with POLICIES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            occupation = occupations.get(row["occupation_code"])
            if occupation is None:
                continue
            LevelPolicy.objects.get_or_create(
                occupation_id=occupation.id,
                defaults={k: row[k] for k in row if k != "occupation_code"},
            )


@transaction.atomic
def seed_assessments(stdout) -> None:
    _policies()
    levels = skill_level_list()
    level = next((lv for lv in levels if lv.code == DEMO_LEVEL), levels[0])
    occupations = {o.code: o for o in occupation_list()}
    for demo in DEMO:
        occupation = occupations[demo["occupation"]]
        bank, _created = QuestionBank.objects.get_or_create(
            slug=demo["slug"],
            defaults={
                "title": demo["title"],
                "occupation_id": occupation.id,
                "skill_level_id": level.id,
            },
        )
        path = DATA / demo["file"]
        if path.is_file():
            parsed = parse_file(name=path.name, content=path.read_bytes())
            questions_import(bank_id=bank.pk, parsed=[_placed(q) for q in parsed])
        blueprint, created = ExamBlueprint.objects.get_or_create(
            slug=demo["slug"],
            defaults={
                "title": demo["title"],
                "bank": bank,
                "occupation_id": occupation.id,
                "skill_level_id": level.id,
                "time_limit_s": 30 * 60,
                "attempts_allowed": 3,
                "wait_between_attempts_s": 3600,
            },
        )
        if created:
            for topic in bank.topics.all():
                count = topic.questions.filter(is_active=True).count()
                if count:
                    BlueprintRule.objects.create(
                        blueprint=blueprint, topic=topic, count=max(1, count - 1)
                    )
        rubric, _created = Rubric.objects.get_or_create(
            occupation_id=occupation.id,
            skill_level_id=level.id,
            is_active=True,
            defaults={"title": f"الاختبار العملي — {occupation.title_ar}"},
        )
        _rubric_levels(rubric, demo["rubric"])
    stdout.write(
        f"assessments: {QuestionBank.objects.count()} question banks, "
        f"{ExamBlueprint.objects.count()} blueprints, {Rubric.objects.count()} rubrics"
    )
