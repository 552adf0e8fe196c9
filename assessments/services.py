"""Assessments use cases that write: questions, imports, attempts, practicals, results.

The calls into other apps are the thin functions `course_completed` and
`completed_course_id` (courses' selectors: eligibility, and the course an attempt or a
practical test is credited to in reports) and `certificate_create_pending` (registry's
service: a pass becomes a pending certificate) at the top of this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Difficulty,
    ExamBlueprint,
    LevelPolicy,
    PerformanceLevel,
    PracticalAssessment,
    PracticalEvidence,
    PracticalScore,
    PracticalStatus,
    Question,
    QuestionBank,
    QuestionImage,
    QuestionVersion,
    Rubric,
    SkillResult,
    Topic,
)
from assessments.question_types import get_kind
from lms.accounts.roles import Role, user_has_role

logger = logging.getLogger(__name__)
TWO = Decimal("0.01")
CERTIFICATE_SOURCE = "platform_test"


# --- calls into other apps (contracts in HELPERS.md) ---------------------------------
def course_completed(*, user, occupation_code: str, level_code: str) -> bool:
    """Eligibility: the trainee completed a course for this occupation and level."""
    from courses import selectors as course_selectors

    return course_selectors.course_completed(
        user=user, occupation_code=occupation_code, level_code=level_code
    )


def completed_course_id(*, user, occupation_code: str, level_code: str) -> int | None:
    """The course that prepared the trainee for this occupation and level (reports)."""
    from courses import selectors as course_selectors

    return course_selectors.completed_course_id(
        user=user, occupation_code=occupation_code, level_code=level_code
    )


def _course_that_prepared(user, test: ExamBlueprint | Rubric) -> int | None:
    """The course an attempt or a practical test is credited to (Attempt.course)."""
    return completed_course_id(
        user=user,
        occupation_code=test.occupation.code,
        level_code=test.skill_level.code,
    )


def certificate_create_pending(
    *,
    user_id: int | None,
    national_id: str,
    full_name_ar: str,
    full_name_en: str,
    occupation_code: str,
    level_code: str,
    source: str,
    evidence: dict,
    created_by_id: int | None,
    idempotency_key: str,
) -> Any:
    """A pass becomes a pending certificate in the registry (idempotent by key)."""
    from registry import services as registry_services

    return registry_services.certificate_create_pending(
        user_id=user_id,
        national_id=national_id,
        full_name_ar=full_name_ar,
        full_name_en=full_name_en,
        occupation_code=occupation_code,
        level_code=level_code,
        source=source,
        evidence=evidence,
        created_by_id=created_by_id,
        idempotency_key=idempotency_key,
    )


# --- questions ---------------------------------------------------------------------
def _q2(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def image_store(*, content: bytes, name: str) -> str:
    """Store an image once per content hash and return its storage name."""
    digest = hashlib.sha256(content).hexdigest()
    image = QuestionImage.objects.filter(sha256=digest).first()
    if image is None:
        image = QuestionImage(sha256=digest, original_name=name[:255])
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
        image.file.save(f"{digest[:32]}.{suffix[:5]}", ContentFile(content), save=False)
        image.save()
    return image.file.name


def topic_get_or_create(*, bank: QuestionBank, name: str) -> Topic:
    name = (name or "").strip()[:255] or _("General")
    topic, _created = Topic.objects.get_or_create(bank=bank, name=name)
    return topic


@transaction.atomic
def question_create(
    *,
    bank: QuestionBank,
    topic_name: str,
    kind: str,
    stem: str,
    data: dict,
    difficulty: str = Difficulty.MEDIUM,
    explanation: str = "",
    name: str = "",
    points: Decimal | float = 1,
    stem_images: list[str] | None = None,
    stem_image_alts: list[str] | None = None,
    source_hash: str = "",
    created_by=None,
) -> Question:
    """Create a question and its first version, after the kind validates it."""
    definition = get_kind(kind).clean(data)
    if not (stem or "").strip() and not stem_images:
        raise ValidationError(_("The question has no text."))
    if difficulty not in Difficulty.values:
        raise ValidationError(
            _("Unknown difficulty “%(value)s”."), params={"value": difficulty}
        )
    if Decimal(str(points)) <= 0:
        raise ValidationError(_("A question must be worth more than 0 points."))
    question = Question.objects.create(
        bank=bank,
        topic=topic_get_or_create(bank=bank, name=topic_name),
        kind=kind,
        difficulty=difficulty,
        name=name[:255],
        source_hash=source_hash,
    )
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        stem=stem.strip(),
        stem_images=stem_images or [],
        stem_image_alts=_alts_for(stem_images or [], stem_image_alts),
        data=definition,
        explanation=explanation,
        points=_q2(points),
        created_by=created_by,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return question


def _alts_for(images: list[str], alts: list[str] | None) -> list[str]:
    """One alt text per stem image, in order ("" where the author gave none)."""
    alts = [" ".join(str(a or "").split())[:250] for a in (alts or [])]
    return (alts + [""] * len(images))[: len(images)]


@transaction.atomic
def question_edit(
    *,
    question: Question,
    edited_by=None,
    stem: str | None = None,
    data: dict | None = None,
    explanation: str | None = None,
    points: Decimal | float | None = None,
) -> QuestionVersion:
    """Save a new version; attempts already drawn keep the snapshot they were given."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_version
    number = question.versions.aggregate(n=Max("number"))["n"] or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=number + 1,
        stem=(stem if stem is not None else current.stem).strip(),
        stem_images=current.stem_images,
        stem_image_alts=current.stem_image_alts,
        data=get_kind(question.kind).clean(data if data is not None else current.data),
        explanation=explanation if explanation is not None else current.explanation,
        points=_q2(points if points is not None else current.points),
        created_by=edited_by,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version


# --- import --------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def questions_import(
    *, bank: QuestionBank, parsed: list, created_by=None
) -> ImportReport:
    """Import parsed questions one by one: a bad one never takes the good ones down.

    `parsed` holds `assessments.importers.ParsedQuestion` / `ParseProblem` items.
    Re-importing the same file changes nothing (each question is keyed by a hash of
    its source).
    """
    from assessments.importers import ParsedQuestion, ParseProblem

    report = ImportReport()
    for item in parsed:
        if isinstance(item, ParseProblem):
            target = report.skipped if item.skipped else report.errors
            target.append((item.position, item.reason))
            continue
        assert isinstance(item, ParsedQuestion)
        digest = item.source_hash()
        if Question.objects.filter(bank=bank, source_hash=digest).exists():
            report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                stem_images = [
                    image_store(content=content, name=name)
                    for name, content in item.stem_images
                ]
                data = item.resolve_images(image_store)
                question_create(
                    bank=bank,
                    topic_name=item.topic,
                    kind=item.kind,
                    stem=item.stem,
                    data=data,
                    difficulty=item.difficulty,
                    explanation=item.explanation,
                    name=item.name,
                    points=item.points,
                    stem_images=stem_images,
                    stem_image_alts=item.stem_image_alts,
                    source_hash=digest,
                    created_by=created_by,
                )
        except ValidationError as exc:
            report.errors.append((item.position, "; ".join(exc.messages)))
            continue
        except IntegrityError:
            report.unchanged += 1
            continue
        report.created += 1
    return report


# --- attempts ------------------------------------------------------------------------
def _deadline_grace() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "ASSESSMENTS_DEADLINE_GRACE_S", 2))


def attempt_eligibility_problems(*, user, blueprint: ExamBlueprint, now=None) -> list:
    """Reasons the trainee may not start a new attempt now (empty: eligible)."""
    now = now or timezone.now()
    problems: list[str] = []
    if not blueprint.is_active:
        problems.append(_("This exam is closed."))
    if blueprint.requires_course_completion and not course_completed(
        user=user,
        occupation_code=blueprint.occupation.code,
        level_code=blueprint.skill_level.code,
    ):
        problems.append(
            _("Complete the course for this occupation and level before the exam.")
        )
    previous = Attempt.objects.filter(user=user, blueprint=blueprint).exclude(
        status=AttemptStatus.IN_PROGRESS
    )
    if previous.filter(passed=True).exists():
        problems.append(_("You have already passed this exam."))
    elif previous.count() >= blueprint.attempts_allowed:
        problems.append(_("You have used all the attempts allowed for this exam."))
    else:
        last = previous.exclude(submitted_at=None).order_by("-submitted_at").first()
        if last is not None:
            ready_at = last.submitted_at + dt.timedelta(
                seconds=blueprint.wait_between_attempts_s
            )
            if ready_at > now:
                problems.append(
                    _("You can try again after %(when)s.")
                    % {"when": timezone.localtime(ready_at).strftime("%Y-%m-%d %H:%M")}
                )
    return problems


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
            raise ValidationError(
                _(
                    "The bank has only %(have)d questions for “%(topic)s” "
                    "(%(difficulty)s); the blueprint needs %(need)d."
                ),
                params={
                    "have": len(candidates),
                    "topic": rule.topic.name,
                    "difficulty": rule.get_difficulty_display() or _("any difficulty"),
                    "need": rule.count,
                },
            )
        picked = rng.sample(candidates, rule.count)
        chosen.extend(picked)
        taken.update(q.pk for q in picked)
    if not chosen:
        raise ValidationError(_("The exam blueprint draws no questions."))
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


@transaction.atomic
def attempt_start(*, user, blueprint: ExamBlueprint, now=None) -> Attempt:
    """Resume the open attempt or start a new one, drawing questions by blueprint."""
    from assessments import tasks

    now = now or timezone.now()
    existing = Attempt.objects.filter(
        user=user, blueprint=blueprint, status=AttemptStatus.IN_PROGRESS
    ).first()
    if existing is not None:
        if attempt_expire_if_due(attempt=existing, now=now):
            existing.refresh_from_db()
        else:
            return existing
    problems = attempt_eligibility_problems(user=user, blueprint=blueprint, now=now)
    if problems:
        raise ValidationError(problems)
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
                course_id=_course_that_prepared(user, blueprint),
                number=number,
                started_at=now,
                deadline_at=now + dt.timedelta(seconds=blueprint.time_limit_s),
            )
    except IntegrityError:
        # A double click started it in a parallel request: resume that one.
        return Attempt.objects.get(
            user=user, blueprint=blueprint, status=AttemptStatus.IN_PROGRESS
        )
    items = []
    max_score = Decimal(0)
    for position, question in enumerate(questions, start=1):
        version = question.current_version
        kind = get_kind(question.kind)
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question=question,
                version=version,
                topic_name=question.topic.name,
                snapshot=_snapshot(version, question),
                public=kind.public(
                    version.data, rng=rng, shuffle=blueprint.shuffle_options
                ),
                points=version.points,
            )
        )
        max_score += version.points
    AttemptItem.objects.bulk_create(items)
    attempt.max_score = max_score
    attempt.save(update_fields=["max_score"])
    transaction.on_commit(lambda: tasks.schedule_auto_submit(attempt))
    return attempt


def _check_open(*, status: str, in_time: bool) -> None:
    if status != AttemptStatus.IN_PROGRESS:
        raise ValidationError(
            _("This attempt has been submitted; answers are closed."), code="closed"
        )
    if not in_time:
        raise ValidationError(
            _("Time is up: answers after the deadline are refused."), code="closed"
        )


@dataclass(frozen=True)
class AnswerSaved:
    position: int
    seq: int
    applied: bool


def attempt_answer_save(
    *, attempt_id: int, user, position: int, response: Any, seq: int, now=None
) -> AnswerSaved:
    """Save one answer. Idempotent: a retry or an older `seq` changes nothing.

    `seq` grows with every change the trainee makes (the page uses a clock-based
    counter, so a second device continues where the first stopped). Refusals carry
    a code: `not_found` (no such attempt of this user, or no such question),
    `closed` (submitted or past the deadline), otherwise the response was invalid.
    """
    now = now or timezone.now()
    try:
        seq = int(seq)
        position = int(position)
    except (TypeError, ValueError):
        raise ValidationError(_("The answer is missing its number.")) from None
    if seq < 1:
        raise ValidationError(_("The answer is missing its number."))
    row = _answer_read(attempt_id=attempt_id, user=user, position=position, now=now)
    if row is None:
        _refuse_missing(attempt_id=attempt_id, user=user, position=position)
    _check_open(status=row.status, in_time=row.in_time)
    kind = get_kind(row.snapshot["kind"])
    cleaned = kind.clean_response(row.snapshot["data"], row.public, response)
    if seq <= row.seq:
        return AnswerSaved(position=position, seq=row.seq, applied=False)
    if _answer_store(
        attempt_id=attempt_id, position=position, response=cleaned, seq=seq, now=now
    ):
        return AnswerSaved(position=position, seq=seq, applied=True)
    # Refused by the write: the attempt closed, or a newer save won, meanwhile.
    row = _answer_read(attempt_id=attempt_id, user=user, position=position, now=now)
    if row is None:
        _refuse_missing(attempt_id=attempt_id, user=user, position=position)
    _check_open(status=row.status, in_time=row.in_time)
    return AnswerSaved(position=position, seq=row.seq, applied=False)


# The two statements of a save are written out: the ORM's query building cost more
# CPU than the rest of the save (bench/profile_answer_save.py), and the write's row
# lock inside an UPDATE cannot be expressed with the ORM.
_ANSWER_READ_SQL = """
SELECT item.snapshot, item.public, item.response_seq, attempt.status,
       attempt.deadline_at >= %s
  FROM assessments_attemptitem item
  JOIN assessments_attempt attempt ON attempt.id = item.attempt_id
 WHERE item.attempt_id = %s AND item.position = %s AND attempt.user_id = %s
"""

_ANSWER_STORE_SQL = """
UPDATE assessments_attemptitem
   SET response = %s, response_seq = %s, answered_at = %s
 WHERE attempt_id = %s AND position = %s AND response_seq < %s
   AND EXISTS (SELECT 1 FROM assessments_attempt
                WHERE id = %s AND status = %s AND deadline_at >= %s {lock})
"""


@dataclass(frozen=True)
class _AnswerRow:
    snapshot: dict
    public: dict
    seq: int
    status: str
    in_time: bool  # not later than deadline + grace


def _answer_read(*, attempt_id: int, user, position: int, now) -> _AnswerRow | None:
    """The item (snapshot and public view), its stored seq and the attempt's state,
    if the attempt belongs to `user`."""
    field = AttemptItem._meta.get_field
    cutoff = field("answered_at").get_db_prep_value(now - _deadline_grace(), connection)
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_READ_SQL, [cutoff, attempt_id, position, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    snapshot, public, seq, status, in_time = row
    return _AnswerRow(
        snapshot=field("snapshot").from_db_value(snapshot, None, connection),
        public=field("public").from_db_value(public, None, connection),
        seq=seq,
        status=status,
        in_time=bool(in_time),
    )


def _refuse_missing(*, attempt_id: int, user, position: int) -> None:
    if not Attempt.objects.filter(pk=attempt_id, user=user).exists():
        raise ValidationError(_("No such attempt."), code="not_found")
    raise ValidationError(
        _("This exam has no question %(n)d."), params={"n": position}, code="not_found"
    )


def _answer_store(
    *, attempt_id: int, position: int, response: Any, seq: int, now: dt.datetime
) -> bool:
    """Write the answer if the attempt is open and `seq` is newer than the stored one.

    One statement (its own transaction unless the caller holds one). On PostgreSQL
    it first takes the attempt's row lock (`FOR NO KEY UPDATE`; submission takes
    `FOR UPDATE`), so saves of one attempt queue behind each other and behind its
    submission, and the status and deadline are checked again once the lock is
    held: a save is either graded or refused, never silently dropped. SQLite
    serialises writers anyway.
    """
    lock = ""
    if connection.features.has_select_for_update:
        lock = connection.ops.for_update_sql(no_key=True)
    field = AttemptItem._meta.get_field
    params = [
        field("response").get_db_prep_save(response, connection),
        seq,
        field("answered_at").get_db_prep_save(now, connection),
        attempt_id,
        position,
        seq,
        attempt_id,
        AttemptStatus.IN_PROGRESS.value,
        field("answered_at").get_db_prep_save(now - _deadline_grace(), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_STORE_SQL.format(lock=lock), params)
        return cursor.rowcount == 1


def _grade_items(attempt: Attempt) -> bool:
    """Grade objective items; True when every item has a score."""
    complete = True
    for item in attempt.items.all():
        if item.score is not None and item.graded_by_id:
            continue
        kind = get_kind(item.snapshot["kind"])
        fraction = kind.grade(item.snapshot["data"], item.response)
        if fraction is None and item.response in (None, ""):
            fraction = 0.0
        if fraction is None:
            complete = False
            continue
        item.fraction = fraction
        item.score = _q2(Decimal(str(fraction)) * item.points)
        item.save(update_fields=["fraction", "score"])
    return complete


def _finalise(attempt: Attempt) -> None:
    scores = list(attempt.items.values_list("score", flat=True))
    attempt.score = _q2(sum((s or Decimal(0)) for s in scores))
    attempt.percent = (
        _q2(attempt.score * 100 / attempt.max_score) if attempt.max_score else _q2(0)
    )
    attempt.passed = attempt.percent >= attempt.blueprint.pass_mark_percent
    attempt.status = AttemptStatus.GRADED
    attempt.save(update_fields=["score", "percent", "passed", "status"])
    skill_result_evaluate(
        user=attempt.user,
        occupation=attempt.blueprint.occupation,
        skill_level=attempt.blueprint.skill_level,
    )


@transaction.atomic
def attempt_submit(
    *, attempt_id: int, user=None, auto: bool = False, now=None
) -> Attempt:
    """Close the attempt and grade it. Submitting twice changes nothing."""
    now = now or timezone.now()
    qs = Attempt.objects.select_for_update().select_related(
        "blueprint__occupation", "blueprint__skill_level", "user"
    )
    if user is not None:
        qs = qs.filter(user=user)
    attempt = qs.filter(pk=attempt_id).first()
    if attempt is None:
        raise ValidationError(_("No such attempt."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    attempt.submitted_at = min(now, attempt.deadline_at + _deadline_grace())
    attempt.auto_submitted = auto
    attempt.status = AttemptStatus.AWAITING_GRADING
    attempt.save(update_fields=["submitted_at", "auto_submitted", "status"])
    if _grade_items(attempt):
        _finalise(attempt)
    return attempt


def attempt_expire_if_due(*, attempt: Attempt, now=None) -> bool:
    """Submit an attempt whose deadline has passed (the task does this on time;
    every read does it too, so a missed task never leaves an attempt open)."""
    now = now or timezone.now()
    if (
        attempt.status == AttemptStatus.IN_PROGRESS
        and now > attempt.deadline_at + _deadline_grace()
    ):
        attempt_submit(attempt_id=attempt.pk, auto=True, now=now)
        return True
    return False


def attempts_expire_overdue(*, now=None) -> int:
    """Submit every overdue attempt (a safety net run by the worker)."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline_at__lt=now - _deadline_grace()
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(overdue):
        attempt_submit(attempt_id=pk, auto=True, now=now)
        count += 1
    return count


def _may_grade(user) -> bool:
    return user_has_role(user, Role.ASSESSOR) or user_has_role(
        user, Role.MINISTRY_STAFF
    )


@transaction.atomic
def attempt_item_grade(*, item_id: int, grader, fraction: float) -> AttemptItem:
    """A person grades an essay item; the attempt is finalised when none remain."""
    if not _may_grade(grader):
        raise ValidationError(_("Only assessors and ministry staff grade answers."))
    item = (
        AttemptItem.objects.select_for_update()
        .select_related("attempt")
        .get(pk=item_id)
    )
    attempt = item.attempt
    if attempt.user_id == grader.pk:
        raise ValidationError(_("You cannot grade your own exam."))
    if attempt.status != AttemptStatus.AWAITING_GRADING:
        raise ValidationError(_("This attempt is not waiting for grading."))
    fraction = float(fraction)
    if not 0 <= fraction <= 1:
        raise ValidationError(_("The grade must be between 0% and 100%."))
    item.fraction = fraction
    item.score = _q2(Decimal(str(fraction)) * item.points)
    item.graded_by = grader
    item.save(update_fields=["fraction", "score", "graded_by"])
    if not attempt.items.filter(score=None).exists():
        _finalise(
            Attempt.objects.select_related("blueprint", "user").get(pk=attempt.pk)
        )
    return item


# --- practical assessments ------------------------------------------------------
def _check_assessor(*, assessor, trainee) -> None:
    if not user_has_role(assessor, Role.ASSESSOR):
        raise ValidationError(_("Only assessors score practical tests."))
    if assessor.pk == trainee.pk:
        raise ValidationError(_("An assessor cannot assess themselves."))


@transaction.atomic
def practical_assessment_create(
    *, rubric: Rubric, trainee, assessor
) -> PracticalAssessment:
    _check_assessor(assessor=assessor, trainee=trainee)
    if not rubric.is_active:
        raise ValidationError(_("This rubric is no longer in use."))
    return PracticalAssessment.objects.create(
        rubric=rubric,
        trainee=trainee,
        assessor=assessor,
        course_id=_course_that_prepared(trainee, rubric),
    )


@transaction.atomic
def practical_assessment_score(
    *,
    assessment_id: int,
    assessor,
    levels: dict[int, int],
    comments: str = "",
    criterion_comments: dict[int, str] | None = None,
    submit: bool = False,
) -> PracticalAssessment:
    """Record the performance level per criterion; on submit every criterion counts."""
    assessment = (
        PracticalAssessment.objects.select_for_update()
        .select_related("rubric", "trainee")
        .get(pk=assessment_id)
    )
    _check_assessor(assessor=assessor, trainee=assessment.trainee)
    if assessment.assessor_id != assessor.pk:
        raise ValidationError(_("This practical test belongs to another assessor."))
    if assessment.status == PracticalStatus.SUBMITTED:
        raise ValidationError(_("This practical test is already submitted."))
    criteria = {c.pk: c for c in assessment.rubric.criteria.all()}
    criterion_comments = criterion_comments or {}
    for criterion_id, level_id in levels.items():
        if criterion_id not in criteria:
            raise ValidationError(_("That criterion is not in this rubric."))
        level = PerformanceLevel.objects.filter(
            pk=level_id, criterion_id=criterion_id
        ).first()
        if level is None:
            raise ValidationError(
                _("Choose one of the performance levels of “%(c)s”."),
                params={"c": criteria[criterion_id].title},
            )
        PracticalScore.objects.update_or_create(
            assessment=assessment,
            criterion_id=criterion_id,
            defaults={
                "level": level,
                "comment": (criterion_comments.get(criterion_id) or "")[:500],
            },
        )
    assessment.comments = comments
    fields = ["comments"]
    if submit:
        scores = {s.criterion_id: s for s in assessment.scores.select_related("level")}
        missing = [c.title for pk, c in criteria.items() if pk not in scores]
        if missing:
            raise ValidationError(
                _("Score every criterion before submitting: %(names)s."),
                params={"names": "، ".join(missing)},
            )
        total_weight = sum(c.weight for c in criteria.values())
        earned = sum(
            Decimal(c.weight) * scores[pk].level.fraction for pk, c in criteria.items()
        )
        assessment.percent = _q2(earned * 100 / total_weight)
        assessment.status = PracticalStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        fields += ["percent", "status", "submitted_at"]
    assessment.save(update_fields=fields)
    if submit:
        skill_result_evaluate(
            user=assessment.trainee,
            occupation=assessment.rubric.occupation,
            skill_level=assessment.rubric.skill_level,
        )
    return assessment


MAX_EVIDENCE_BYTES = 8 * 1024 * 1024


@transaction.atomic
def practical_evidence_add(
    *, assessment_id: int, assessor, image, caption: str = ""
) -> PracticalEvidence:
    """Attach a photo (validated as a real image) to a practical test."""
    from PIL import Image, UnidentifiedImageError

    assessment = PracticalAssessment.objects.select_related("trainee").get(
        pk=assessment_id
    )
    _check_assessor(assessor=assessor, trainee=assessment.trainee)
    if assessment.assessor_id != assessor.pk:
        raise ValidationError(_("This practical test belongs to another assessor."))
    if image.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The photo is larger than 8 MB."))
    try:
        with Image.open(image) as probe:
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The file is not a photo we can read.")) from None
    image.seek(0)
    return PracticalEvidence.objects.create(
        assessment=assessment, image=image, caption=caption[:255]
    )


# --- skill level ---------------------------------------------------------------------
def level_policy_for(*, occupation) -> LevelPolicy:
    """The occupation's policy, or the defaults (unsaved) when none is configured."""
    policy = LevelPolicy.objects.filter(occupation=occupation).first()
    return policy or LevelPolicy(occupation=occupation)


@transaction.atomic
def skill_result_evaluate(*, user, occupation, skill_level) -> SkillResult | None:
    """Combine the best theory attempt and the latest practical by the occupation's
    policy; a pass creates exactly one pending certificate in the registry."""
    policy = level_policy_for(occupation=occupation)
    theory = (
        Attempt.objects.filter(
            user=user,
            status=AttemptStatus.GRADED,
            blueprint__occupation=occupation,
            blueprint__skill_level=skill_level,
        )
        .order_by("-passed", "-percent", "-submitted_at")
        .first()
    )
    if theory is None:
        return None
    practical = None
    if policy.practical_weight:
        practical = (
            PracticalAssessment.objects.filter(
                trainee=user,
                status=PracticalStatus.SUBMITTED,
                rubric__occupation=occupation,
                rubric__skill_level=skill_level,
            )
            .order_by("-submitted_at")
            .first()
        )
        if practical is None:
            return None
    weights = policy.theory_weight + policy.practical_weight
    practical_percent = practical.percent if practical else Decimal(0)
    combined = _q2(
        (
            theory.percent * policy.theory_weight
            + practical_percent * policy.practical_weight
        )
        / (weights or 1)
    )
    passed = bool(
        theory.passed
        and theory.percent >= policy.theory_min_percent
        and (practical is None or practical_percent >= policy.practical_min_percent)
        and combined >= policy.pass_percent
    )
    result = SkillResult.objects.filter(attempt=theory, practical=practical).first()
    if result is None:
        result = SkillResult.objects.create(
            user=user,
            occupation=occupation,
            skill_level=skill_level,
            attempt=theory,
            practical=practical,
            combined_percent=combined,
            passed=passed,
        )
    if result.passed and result.certificate_id is None:
        _certificate_for(result=result, policy=policy)
    return result


def _certificate_for(*, result: SkillResult, policy: LevelPolicy) -> None:
    user = result.user
    if not user.national_id:
        logger.warning(
            "skill result %s passed but the user has no national ID", result.pk
        )
        return
    certificate = certificate_create_pending(
        user_id=user.pk,
        national_id=user.national_id,
        full_name_ar=user.full_name_ar,
        full_name_en=user.full_name_en,
        occupation_code=result.occupation.code,
        level_code=result.skill_level.code,
        source=CERTIFICATE_SOURCE,
        evidence={
            "skill_result_id": result.pk,
            "attempt_id": result.attempt_id,
            "theory_percent": str(result.attempt.percent),
            "practical_assessment_id": result.practical_id,
            "practical_percent": str(result.practical.percent)
            if result.practical
            else None,
            "combined_percent": str(result.combined_percent),
            "policy": {
                "theory_weight": policy.theory_weight,
                "practical_weight": policy.practical_weight,
                "pass_percent": str(policy.pass_percent),
            },
        },
        created_by_id=None,
        idempotency_key=(
            f"assessments:{user.pk}:{result.occupation.code}:{result.skill_level.code}"
        ),
    )
    result.certificate_id = certificate.id
    result.save(update_fields=["certificate_id"])
