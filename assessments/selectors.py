"""Assessments reads: what the trainee may see of an attempt (never a key),
results by topic, exams available to a trainee, item analysis."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    ExamBlueprint,
    PracticalEvidence,
    Question,
    QuestionBank,
    SkillResult,
)
from assessments.question_types import image_url
from lms.accounts.roles import Role, user_has_role
from lms.kernel.report_rows import fact_rows


@dataclass(frozen=True)
class AttemptItemPublic:
    """One question as the browser sees it: text, choices, the trainee's answer."""

    position: int
    kind: str
    stem: str
    stem_image_urls: tuple[str, ...]
    stem_image_alts: tuple[str, ...]
    choices: dict
    points: str
    response: object
    seq: int

    @property
    def stem_pictures(self) -> tuple[tuple[str, str], ...]:
        """(URL, alt text) of each stem image, for the page."""
        return tuple(zip(self.stem_image_urls, self.stem_image_alts, strict=True))


@dataclass(frozen=True)
class AttemptPublic:
    id: int
    exam_title: str
    status: str
    started_at: str
    deadline_at: str
    remaining_s: int
    items: tuple[AttemptItemPublic, ...]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "exam_title": self.exam_title,
            "status": self.status,
            "started_at": self.started_at,
            "deadline_at": self.deadline_at,
            "remaining_s": self.remaining_s,
            "items": [item_public_dict(i) for i in self.items],
        }


def item_public_dict(item: AttemptItemPublic) -> dict:
    return {
        "position": item.position,
        "kind": item.kind,
        "stem": item.stem,
        "stem_image_urls": list(item.stem_image_urls),
        "stem_image_alts": list(item.stem_image_alts),
        "choices": item.choices,
        "points": item.points,
        "response": item.response,
        "seq": item.seq,
    }


def _stem_alts(snapshot: dict) -> tuple[str, ...]:
    """One per stem image (attempts drawn before alt texts were kept have none)."""
    alts = list(snapshot.get("stem_image_alts") or [])
    count = len(snapshot.get("stem_images", []))
    return tuple((alts + [""] * count)[:count])


def item_public(item: AttemptItem) -> AttemptItemPublic:
    """Built only from the snapshot's text and the stored public view: no key."""
    snapshot = item.snapshot
    return AttemptItemPublic(
        position=item.position,
        kind=snapshot["kind"],
        stem=snapshot["stem"],
        stem_image_urls=tuple(image_url(n) for n in snapshot.get("stem_images", [])),
        stem_image_alts=_stem_alts(snapshot),
        choices=item.public,
        points=str(item.points),
        response=item.response,
        seq=item.response_seq,
    )


def attempt_public_get(*, attempt: Attempt) -> AttemptPublic:
    now = timezone.now()
    return AttemptPublic(
        id=attempt.pk,
        exam_title=attempt.blueprint.title,
        status=attempt.status,
        started_at=attempt.started_at.isoformat(),
        deadline_at=attempt.deadline_at.isoformat(),
        remaining_s=max(0, int((attempt.deadline_at - now).total_seconds())),
        items=tuple(item_public(i) for i in attempt.items.all()),
    )


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: Decimal
    max_score: Decimal

    @property
    def percent(self) -> Decimal:
        if not self.max_score:
            return Decimal(0)
        return (self.score * 100 / self.max_score).quantize(Decimal("0.1"))


def attempt_scores_by_topic(*, attempt: Attempt) -> list[TopicScore]:
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for item in attempt.items.all():
        totals[item.topic_name][0] += item.score or Decimal(0)
        totals[item.topic_name][1] += item.points
    return [TopicScore(t, s, m) for t, (s, m) in sorted(totals.items())]


def blueprints_for_trainee() -> QuerySet[ExamBlueprint]:
    return ExamBlueprint.objects.filter(is_active=True).select_related(
        "occupation", "skill_level"
    )


def attempt_open_for(*, user, blueprint: ExamBlueprint) -> Attempt | None:
    return Attempt.objects.filter(
        user=user, blueprint=blueprint, status=AttemptStatus.IN_PROGRESS
    ).first()


def skill_results_for(*, user) -> QuerySet[SkillResult]:
    return SkillResult.objects.filter(user=user).select_related(
        "occupation", "skill_level"
    )


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    name: str
    kind: str
    topic: str
    difficulty: str
    taken: int
    facility: float | None
    discrimination: float | None

    @property
    def flagged(self) -> bool:
        """Worth a look: almost nobody or everybody right, or it does not separate."""
        if self.taken < 5 or self.facility is None:
            return False
        weak = self.discrimination is not None and self.discrimination < 0.2
        return self.facility < 0.2 or self.facility > 0.95 or weak


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_analysis(*, bank: QuestionBank) -> list[ItemStats]:
    """Per question: how many took it, facility (mean share correct) and
    discrimination (correlation of the item with the rest of the test)."""
    rows = AttemptItem.objects.filter(
        question__bank=bank, attempt__status=AttemptStatus.GRADED
    ).values_list("question_id", "fraction", "score", "attempt__score")
    per_question: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for question_id, fraction, score, attempt_score in rows:
        rest = float((attempt_score or 0) - (score or 0))
        per_question[question_id].append((float(fraction or 0), rest))
    stats = []
    for question in Question.objects.filter(bank=bank).select_related("topic"):
        data = per_question.get(question.pk, [])
        fractions = [f for f, _r in data]
        stats.append(
            ItemStats(
                question_id=question.pk,
                name=question.name or str(question.current_version.stem)[:60]
                if question.current_version
                else str(question.pk),
                kind=question.kind,
                topic=question.topic.name,
                difficulty=question.difficulty,
                taken=len(data),
                facility=sum(fractions) / len(fractions) if fractions else None,
                discrimination=_correlation(fractions, [r for _f, r in data]),
            )
        )
    return stats


def practical_evidence_for_viewer(
    *, evidence_id: int, viewer
) -> PracticalEvidence | None:
    """An evidence photo, if this person may see it: the assessor of that practical
    test, the trainee whose test it is, or ministry staff (who approve the result).
    Everyone else gets None, the same as for a photo that does not exist."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    rows = PracticalEvidence.objects.filter(pk=evidence_id)
    if not user_has_role(viewer, Role.MINISTRY_STAFF):
        mine = Q(assessment__trainee=viewer)
        if user_has_role(viewer, Role.ASSESSOR):
            mine |= Q(assessment__assessor=viewer)
        rows = rows.filter(mine)
    return rows.first()


def attempts_open_for_user(*, user) -> QuerySet[Attempt]:
    return Attempt.objects.filter(
        user=user, status=AttemptStatus.IN_PROGRESS
    ).select_related("blueprint")


# --- Report facts (lms.reports contract, see lms/reports/README.md) -----------------


def _assessment_facts(qs: QuerySet, *, metric: str, person: str, test: str):
    """One metric grouped in the database by month of submission, the person's
    attributes and the occupation and level the test was set for."""
    from django.db.models import CharField, Count, DateField, F, Value
    from django.db.models.functions import TruncMonth

    from lms.accounts.selectors import user_has_disability_expression

    return fact_rows(
        qs.annotate(
            metric=Value(metric, output_field=CharField()),
            month=TruncMonth("submitted_at", output_field=DateField()),
            governorate_code=F(f"{person}__governorate_code"),
            occupation_code=F(f"{test}__occupation__code"),
            level_code=F(f"{test}__skill_level__code"),
            gender=F(f"{person}__gender"),
            has_disability=user_has_disability_expression(via=person),
        ),
        value=Count("id"),
    )


def report_facts(*, since: dt.date | None = None):
    """Assessments' figures for lms.reports, one GROUP BY query per metric.

    exam_attempts: submitted attempts (awaiting grading or graded; one still in
    progress is not an attempt yet) by month of submission; exam_passes: the graded
    ones that passed, in the same month as their attempt; practical_assessments:
    practical tests an assessor submitted, by month of submission. Exams are set per
    occupation and level; course_id is the course that prepared the trainee (their
    last completed one for that occupation and level), None if they took none.
    """
    from assessments.models import PracticalAssessment, PracticalStatus

    submitted = Attempt.objects.filter(
        status__in=[AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED],
        submitted_at__isnull=False,
    )
    practicals = PracticalAssessment.objects.filter(
        status=PracticalStatus.SUBMITTED, submitted_at__isnull=False
    )
    if since is not None:
        start = timezone.make_aware(
            dt.datetime.combine(since.replace(day=1), dt.time.min)
        )
        submitted = submitted.filter(submitted_at__gte=start)
        practicals = practicals.filter(submitted_at__gte=start)
    exam = {"person": "user", "test": "blueprint"}
    yield from _assessment_facts(submitted, metric="exam_attempts", **exam)
    yield from _assessment_facts(
        submitted.filter(status=AttemptStatus.GRADED, passed=True),
        metric="exam_passes",
        **exam,
    )
    yield from _assessment_facts(
        practicals, metric="practical_assessments", person="trainee", test="rubric"
    )
