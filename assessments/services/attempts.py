"""Attempts: start one (or resume it), draw its questions by blueprint, submit it,
and submit it anyway once its deadline has passed."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import jobs
from assessments.data import AttemptData
from assessments.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    ExamBlueprint,
    Question,
    QuestionVersion,
    deadline_grace,
)
from assessments.question_types import get_kind
from assessments.selectors.build import attempt_data
from assessments.selectors.courses import course_that_prepared
from assessments.selectors.exams import eligibility_problems
from assessments.selectors.people import person
from assessments.services.grading import finalise, grade_items
from lms.kernel.errors import Conflict, NotFound
from lms.kernel.report_rows import report_facts_changed


def _draw(blueprint: ExamBlueprint, rng: random.Random) -> list[Question]:
    chosen: list[Question] = []
    taken: set[int] = set()
    for rule in blueprint.rules.select_related("topic"):
        pool = Question.objects.filter(
            bank=blueprint.bank, topic=rule.topic, is_active=True
        ).exclude(pk__in=taken)
        if rule.difficulty:
            pool = pool.filter(difficulty=rule.difficulty)
        candidates = list(pool.select_related("current_version", "topic"))
        if len(candidates) < rule.count:
            raise Conflict(
                _(
                    "The bank has only %(have)d questions for “%(topic)s” "
                    "(%(difficulty)s); the blueprint needs %(need)d."
                )
                % {
                    "have": len(candidates),
                    "topic": rule.topic.name,
                    "difficulty": rule.get_difficulty_display() or _("any difficulty"),
                    "need": rule.count,
                },
                code="exam_not_ready",
            )
        picked = rng.sample(candidates, rule.count)
        chosen.extend(picked)
        taken.update(q.pk for q in picked)
    if not chosen:
        raise Conflict(
            _("The exam blueprint draws no questions."), code="exam_not_ready"
        )
    if blueprint.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _snapshot(version: QuestionVersion, question: Question) -> dict:
    return {
        "kind": question.kind,
        "stem": version.stem,
        "stem_images": version.stem_images,
        "stem_image_alts": version.stem_image_alts,
        "data": version.data,
        "explanation": version.explanation,
        "difficulty": question.difficulty,
        "version": version.number,
    }


def _items(
    attempt: Attempt, questions: list[Question], *, rng: random.Random, shuffle: bool
) -> list[AttemptItem]:
    """The drawn questions as the attempt keeps them: the version's snapshot (with
    the key) and the key-free public view, shuffled once, at draw time (so each
    attempt has its own order and a reload shows the same), unless the exam keeps
    the order or the author pinned it (`data["shuffle"] is False`, Moodle's
    shuffleanswers)."""
    items = []
    for position, question in enumerate(questions, start=1):
        version = question.current_version
        assert version is not None, "a question is saved with its first version"
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question=question,
                version=version,
                topic_name=question.topic.name,
                snapshot=_snapshot(version, question),
                public=get_kind(question.kind).public(
                    version.data,
                    rng=rng,
                    shuffle=shuffle and version.data.get("shuffle") is not False,
                ),
                points=version.points,
            )
        )
    return items


def _open_attempt(*, user_id: int, blueprint_id: int) -> Attempt | None:
    return (
        Attempt.objects.select_related("blueprint")
        .filter(
            user_id=user_id, blueprint_id=blueprint_id, status=AttemptStatus.IN_PROGRESS
        )
        .first()
    )


@transaction.atomic
def attempt_start(
    *,
    user_id: int,
    blueprint_id: int,
    now: dt.datetime | None = None,
    admitted_by: str = "",
) -> tuple[AttemptData, bool]:
    """Resume the open attempt or start a new one, drawing questions by blueprint.

    Returns the attempt and whether it was created (False: the open one resumed,
    also when a parallel request, a double click, started it a moment before).
    Refusals: NotFound (no such exam), Conflict with the first problem's code
    (`course_not_completed`, `attempts_used` ... see `eligibility_problems`) or
    `exam_not_ready` (the bank cannot fill the blueprint). `admitted_by` names the
    caller that checked the candidate itself (skilltests: checked in at the
    session), so no completed course is asked for; the other rules hold.
    """
    now = now or timezone.now()
    blueprint = (
        ExamBlueprint.objects.select_related("occupation", "skill_level", "bank")
        .filter(pk=blueprint_id)
        .first()
    )
    user = person(user_id)
    if blueprint is None or user is None:
        raise NotFound(_("No such exam."), code="exam_not_found")
    existing = _open_attempt(user_id=user_id, blueprint_id=blueprint_id)
    if existing is not None:
        if not _expire_if_due(existing, now=now):
            return attempt_data(existing), False
    problems = eligibility_problems(
        user=user, blueprint=blueprint, now=now, admitted=bool(admitted_by)
    )
    if problems:
        raise Conflict(" ".join(p.message for p in problems), code=problems[0].code)
    rng = random.Random(secrets.randbits(64))
    questions = _draw(blueprint, rng)
    number = (
        Attempt.objects.filter(user=user, blueprint=blueprint).aggregate(
            n=Max("number")
        )["n"]
        or 0
    ) + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                blueprint=blueprint,
                course_id=course_that_prepared(
                    user=user,
                    occupation_code=blueprint.occupation.code,
                    level_code=blueprint.skill_level.code,
                ),
                number=number,
                started_at=now,
                deadline_at=now + dt.timedelta(seconds=blueprint.time_limit_s),
            )
    except IntegrityError:
        # A double click started it in a parallel request: resume that one.
        resumed = _open_attempt(user_id=user_id, blueprint_id=blueprint_id)
        if resumed is None:
            raise
        return attempt_data(resumed), False
    items = _items(attempt, questions, rng=rng, shuffle=blueprint.shuffle_options)
    AttemptItem.objects.bulk_create(items)
    attempt.max_score = sum((i.points for i in items), Decimal(0))
    attempt.save(update_fields=["max_score"])
    jobs.auto_submit_request(attempt_id=attempt.pk, deadline_at=attempt.deadline_at)
    return attempt_data(attempt), True


def _submit(
    *, attempt_id: int, user_id: int | None, auto: bool, now: dt.datetime
) -> Attempt:
    # Only the attempt's row is locked: the exam's and the trainee's rows read with
    # it stay free, so the submissions at one exam's deadline do not queue on them.
    qs = Attempt.objects.select_for_update(of=("self",)).select_related(
        "blueprint__occupation", "blueprint__skill_level", "user"
    )
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    attempt = qs.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound(_("No such attempt."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    attempt.submitted_at = min(now, attempt.deadline_at + deadline_grace())
    attempt.auto_submitted = auto
    attempt.status = AttemptStatus.AWAITING_GRADING
    attempt.save(update_fields=["submitted_at", "auto_submitted", "status"])
    report_facts_changed(month=timezone.localdate(attempt.submitted_at))
    if grade_items(attempt):
        finalise(attempt)
    return attempt


@transaction.atomic
def attempt_submit(
    *,
    attempt_id: int,
    user_id: int | None = None,
    auto: bool = False,
    now: dt.datetime | None = None,
) -> AttemptData:
    """Close the attempt and grade it. Submitting twice changes nothing.

    With `user_id`, only that trainee's attempt (NotFound otherwise); without it, the
    system's (the deadline task)."""
    attempt = _submit(
        attempt_id=attempt_id, user_id=user_id, auto=auto, now=now or timezone.now()
    )
    return attempt_data(attempt)


def _expire_if_due(attempt: Attempt, *, now: dt.datetime) -> bool:
    if (
        attempt.status == AttemptStatus.IN_PROGRESS
        and now > attempt.deadline_at + deadline_grace()
    ):
        with transaction.atomic():
            _submit(attempt_id=attempt.pk, user_id=None, auto=True, now=now)
        return True
    return False


def attempt_expire_if_due(*, attempt_id: int, now: dt.datetime | None = None) -> bool:
    """Submit an attempt whose deadline has passed (the task does this on time;
    every read does it too, so a missed task never leaves an attempt open)."""
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    return _expire_if_due(attempt, now=now or timezone.now())


def attempt_refresh(
    *, attempt_id: int, user_id: int, now: dt.datetime | None = None
) -> AttemptData:
    """The trainee's own attempt as it stands: submitted (and graded) first if its
    deadline has passed. NotFound for anyone else's."""
    attempt = (
        Attempt.objects.select_related("blueprint")
        .filter(pk=attempt_id, user_id=user_id)
        .first()
    )
    if attempt is None:
        raise NotFound(_("No such attempt."))
    if _expire_if_due(attempt, now=now or timezone.now()):
        attempt.refresh_from_db()
    return attempt_data(attempt)


def attempts_expire_overdue(*, now: dt.datetime | None = None) -> int:
    """Submit every overdue attempt (a safety net run by the worker)."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline_at__lt=now - deadline_grace()
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(overdue):
        with transaction.atomic():
            _submit(attempt_id=pk, user_id=None, auto=True, now=now)
        count += 1
    return count
