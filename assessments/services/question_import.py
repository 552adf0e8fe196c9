"""Importing a question file into a bank: a plan says what each question will do
(create, change, unchanged, refused, skipped), the commit carries out exactly that
plan, one question at a time, so a refused question never takes the good ones down.

A question is the same one when its source hash matches (re-importing a file changes
nothing) or, failing that, when a question of the bank has the same category path and
name: "unchanged" when its content is the same, "changed" (a new version, history kept)
when it differs. The web import stages the uploaded file in the private store between
its preview and its confirmation (`question_import_stage`)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import ImportPlanEntry, ImportReport
from assessments.models import Difficulty, Question, QuestionImage
from assessments.question_types import get_kind
from assessments.services.questions import (
    image_store,
    q2,
    question_create,
    version_add,
)
from lms.kernel.errors import NotFound, ServiceError

CREATE, CHANGE, UNCHANGED, REFUSED, SKIPPED = (
    "create",
    "change",
    "unchanged",
    "refused",
    "skipped",
)


@dataclass
class Step:
    """One question of the file and what the plan does with it."""

    entry: ImportPlanEntry
    item: Any = None  # the ParsedQuestion (None for a parse problem)
    digest: str = ""


def topic_name(path: str) -> str:
    """The topic a category path is stored in (what `question_create` uses)."""
    return (path or "").strip()[:255] or _("General")


def bank_stamp(bank_id: int) -> list:
    """The bank's state: any question added, removed or edited changes it."""
    row = Question.objects.filter(bank_id=bank_id).aggregate(
        n=Count("id", distinct=True), q=Max("id"), v=Max("versions__id")
    )
    return [row["n"], row["q"], row["v"]]


def _refusal(item: Any) -> str:
    """Why the bank would refuse this question ("" when it takes it)."""
    try:
        get_kind(item.kind).clean(item.data)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    if not item.stem.strip() and not item.stem_images:
        return _("The question has no text.")
    if item.difficulty not in Difficulty.values:
        return _("Unknown difficulty “%(value)s”.") % {"value": item.difficulty}
    if Decimal(str(item.points)) <= 0:
        return _("A question must be worth more than 0 points.")
    return ""


def _normal(value: Any, sha_of: Any) -> Any:
    """A definition without its option ids, images named by their content hash."""
    if isinstance(value, dict):
        return {
            key: (sha_of(inner) if key == "image" and inner else _normal(inner, sha_of))
            for key, inner in value.items()
            if key not in ("id", "image_alt")
        }
    if isinstance(value, list):
        return [_normal(inner, sha_of) for inner in value]
    return value


def _content(
    kind: str, stem: str, data: dict, explanation: str, points: Any, images: list
) -> str:
    return json.dumps(
        [
            kind,
            stem.strip(),
            data,
            explanation.strip(),
            str(q2(points)),
            images,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )


def _parsed_content(item: Any) -> str:
    def sha_of(name: str) -> str:
        content = item.files.get(name)
        return hashlib.sha256(content).hexdigest() if content is not None else name

    data = _normal(get_kind(item.kind).clean(item.data), sha_of)
    images = [hashlib.sha256(content).hexdigest() for _n, content in item.stem_images]
    return _content(item.kind, item.stem, data, item.explanation, item.points, images)


def _stored_content(question: Question, shas: dict[str, str]) -> str:
    version = question.current_version
    assert version is not None

    def sha_of(name: str) -> str:
        return shas.get(name, name)

    data = _normal(get_kind(question.kind).clean(version.data), sha_of)
    images = [sha_of(name) for name in version.stem_images]
    return _content(
        question.kind, version.stem, data, version.explanation, version.points, images
    )


def _entry(
    item: Any, action: str, reason: str = "", question_id: int | None = None
) -> ImportPlanEntry:
    return ImportPlanEntry(
        position=item.position,
        action=action,
        name=item.name,
        topic=item.topic,
        kind=item.kind,
        reason=reason,
        question_id=question_id,
    )


def _matched(item: Any, question: Question, shas: dict) -> tuple[str, str]:
    """Action and reason for a question found by category path and name."""
    if question.kind != item.kind:
        return REFUSED, _(
            "The bank's question with this name in this category is of another "
            "type; rename one of them or change it in the editor."
        )
    if _stored_content(question, shas) == _parsed_content(item):
        return UNCHANGED, ""
    return CHANGE, ""


def plan_steps(*, bank_id: int, parsed: Sequence[Any]) -> list[Step]:
    """What importing `parsed` into the bank does, question by question."""
    from assessments.importers import ParseProblem

    questions = list(
        Question.objects.filter(bank_id=bank_id)
        .select_related("topic", "current_version")
        .order_by("id")
    )
    by_hash = {q.source_hash: q for q in questions if q.source_hash}
    by_name: dict[tuple[str, str], list[Question]] = defaultdict(list)
    for question in questions:
        if question.name:
            by_name[(question.topic.name, question.name)].append(question)
    claimed: set[int] = set()
    shas: dict[str, str] = {}  # stored image name → content hash, read when needed
    steps: list[Step] = []
    for item in parsed:
        if isinstance(item, ParseProblem):
            action = SKIPPED if item.skipped else REFUSED
            entry = ImportPlanEntry(item.position, action, "", "", "", item.reason)
            steps.append(Step(entry))
            continue
        digest = item.source_hash()
        known = by_hash.get(digest) or by_hash.get(item.legacy_hash())
        if known is not None and known.pk not in claimed:
            claimed.add(known.pk)
            steps.append(Step(_entry(item, UNCHANGED, question_id=known.pk), item))
            continue
        reason = _refusal(item)
        if reason:
            steps.append(Step(_entry(item, REFUSED, reason), item, digest))
            continue
        candidates = [
            q
            for q in by_name.get((topic_name(item.topic), item.name), [])
            if q.pk not in claimed and q.current_version is not None
        ]
        if not item.name or not candidates:
            steps.append(Step(_entry(item, CREATE), item, digest))
            continue
        question = candidates[0]
        claimed.add(question.pk)
        if not shas:
            shas.update(QuestionImage.objects.values_list("file", "sha256"))
        action, reason = _matched(item, question, shas)
        steps.append(Step(_entry(item, action, reason, question.pk), item, digest))
    return steps


def plan_fingerprint(*, bank_id: int, steps: Sequence[Step]) -> str:
    """Names the plan and the bank's state: a preview is stale when it differs."""
    blob = json.dumps(
        [
            bank_stamp(bank_id),
            [
                [s.entry.position, s.entry.action, s.entry.question_id, s.digest]
                for s in steps
            ],
        ]
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _stem_images(item: Any) -> list[str]:
    return [
        image_store(content=content, name=name) for name, content in item.stem_images
    ]


def _create(
    step: Step, bank_id: int, created_by_id: int | None, as_draft: bool
) -> None:
    item = step.item
    created = question_create(
        bank_id=bank_id,
        topic_name=item.topic,
        kind=item.kind,
        stem=item.stem,
        data=item.resolve_images(image_store),
        difficulty=item.difficulty,
        explanation=item.explanation,
        name=item.name,
        points=item.points,
        stem_images=_stem_images(item),
        stem_image_alts=item.stem_image_alts,
        source_hash=step.digest,
        created_by_id=created_by_id,
    )
    if as_draft:
        question = Question.objects.select_related("current_version").get(pk=created.id)
        _to_review(question.current_version, question, item.difficulty, created_by_id)
        question.current_version = None  # out of use until a reviewer publishes it
        question.save(update_fields=["current_version"])


def _to_review(
    version: Any, question: Question, difficulty: str, author_id: int | None
) -> None:
    """An imported version as a draft sent for review, as the web editor's are,
    carrying the category, difficulty and name publishing gives the question."""
    version.is_draft = True
    version.review_requested_at = timezone.now()
    version.review_requested_by_id = author_id
    version.topic_id = question.topic_id
    version.difficulty = difficulty
    version.name = question.name
    version.save(
        update_fields=[
            "is_draft",
            "review_requested_at",
            "review_requested_by",
            "topic",
            "difficulty",
            "name",
        ]
    )


def _change(step: Step, created_by_id: int | None, as_draft: bool) -> None:
    item = step.item
    if step.entry.question_id is None:
        raise ValueError("a change names the question it changes")
    question = (
        Question.objects.select_for_update(of=("self",))
        .filter(pk=step.entry.question_id)
        .first()
    )
    if question is None:
        raise NotFound(_("No such question."))
    in_use = question.current_version_id
    version_add(
        question=question,
        stem=item.stem,
        stem_images=_stem_images(item),
        stem_image_alts=item.stem_image_alts,
        data=item.resolve_images(image_store),
        explanation=item.explanation,
        points=item.points,
        created_by_id=created_by_id,
    )
    question.source_hash = step.digest
    fields = ["source_hash"]
    if as_draft:
        # exams go on drawing the version in use until a reviewer publishes this one
        _to_review(question.current_version, question, item.difficulty, created_by_id)
        question.current_version_id = in_use
        fields.append("current_version")
    else:
        question.difficulty = item.difficulty
        fields.append("difficulty")
    question.save(update_fields=fields)


def steps_commit(
    *,
    bank_id: int,
    steps: Sequence[Step],
    created_by_id: int | None = None,
    as_drafts: bool = False,
) -> ImportReport:
    """Carry out a plan, each question in its own savepoint. `as_drafts` (an author
    who may not publish): new and changed questions wait for a reviewer, as the
    editor's drafts do, and exams draw only what was published."""
    counts = {CREATE: 0, CHANGE: 0, UNCHANGED: 0}
    skipped: list[tuple[int, str]] = []
    errors: list[tuple[int, str]] = []
    for step in steps:
        entry = step.entry
        if entry.action in (SKIPPED, REFUSED):
            (skipped if entry.action == SKIPPED else errors).append(
                (entry.position, entry.reason)
            )
            continue
        if entry.action == UNCHANGED:
            counts[UNCHANGED] += 1
            continue
        try:
            with transaction.atomic():
                if entry.action == CREATE:
                    _create(step, bank_id, created_by_id, as_drafts)
                else:
                    _change(step, created_by_id, as_drafts)
        except ServiceError as exc:
            errors.append((entry.position, exc.message))
            continue
        except IntegrityError:
            errors.append((entry.position, _("This question is already in the bank.")))
            continue
        counts[entry.action] += 1
    return ImportReport(
        created=counts[CREATE],
        unchanged=counts[UNCHANGED],
        changed=counts[CHANGE],
        skipped=tuple(skipped),
        errors=tuple(errors),
    )


def questions_import(
    *, bank_id: int, parsed: Sequence[Any], created_by_id: int | None = None
) -> ImportReport:
    """Import parsed questions (`assessments.importers` items) as planned: new ones
    created, changed ones given a new version, the rest reported."""
    from assessments.models import QuestionBank

    with transaction.atomic():
        if not QuestionBank.objects.select_for_update().filter(pk=bank_id).exists():
            raise NotFound(_("No such question bank."))
        steps = plan_steps(bank_id=bank_id, parsed=parsed)
        return steps_commit(bank_id=bank_id, steps=steps, created_by_id=created_by_id)
