"""Question banks: create a question, edit it (a new version), store images once
per content hash. Importing a file is `question_import`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.data import QuestionData
from assessments.models import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionImage,
    QuestionVersion,
    Topic,
)
from assessments.question_types import get_kind
from assessments.selectors.build import question_data
from lms.kernel.errors import Invalid, NotFound

TWO = Decimal("0.01")


def q2(value: Decimal | float) -> Decimal:
    """Points and percentages are kept to two decimals, rounded half up."""
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def _clean(kind: str, data: dict) -> dict:
    """The kind's validated definition; its refusal as a coded error."""
    try:
        return get_kind(kind).clean(data)
    except ValidationError as exc:
        raise Invalid.from_validation_error(exc, code="invalid_question") from None


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


def _topic_for(*, bank: QuestionBank, name: str) -> Topic:
    name = (name or "").strip()[:255] or _("General")
    topic, _created = Topic.objects.get_or_create(bank=bank, name=name)
    return topic


def _alts_for(images: list[str], alts: Sequence[str] | None) -> list[str]:
    """One alt text per stem image, in order ("" where the author gave none)."""
    cleaned = [" ".join(str(a or "").split())[:250] for a in (alts or [])]
    return (cleaned + [""] * len(images))[: len(images)]


@transaction.atomic
def question_create(
    *,
    bank_id: int,
    topic_name: str,
    kind: str,
    stem: str,
    data: dict,
    difficulty: str = Difficulty.MEDIUM,
    explanation: str = "",
    name: str = "",
    points: Decimal | float = 1,
    stem_images: list[str] | None = None,
    stem_image_alts: Sequence[str] | None = None,
    source_hash: str = "",
    created_by_id: int | None = None,
) -> QuestionData:
    """Create a question and its first version, after the kind validates it."""
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise NotFound(_("No such question bank."))
    definition = _clean(kind, data)
    if not (stem or "").strip() and not stem_images:
        raise Invalid(_("The question has no text."), code="invalid_question")
    if difficulty not in Difficulty.values:
        raise Invalid(
            _("Unknown difficulty “%(value)s”.") % {"value": difficulty},
            code="invalid_question",
        )
    if Decimal(str(points)) <= 0:
        raise Invalid(
            _("A question must be worth more than 0 points."), code="invalid_question"
        )
    question = Question.objects.create(
        bank=bank,
        topic=_topic_for(bank=bank, name=topic_name),
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
        points=q2(points),
        created_by_id=created_by_id,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return question_data(question)


@transaction.atomic
def question_edit(
    *,
    question_id: int,
    edited_by_id: int | None = None,
    stem: str | None = None,
    data: dict | None = None,
    explanation: str | None = None,
    points: Decimal | float | None = None,
) -> QuestionData:
    """Save a new version; attempts already drawn keep the snapshot they were given."""
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("topic", "current_version")
        .filter(pk=question_id)
        .first()
    )
    if question is None or question.current_version is None:
        raise NotFound(_("No such question."))
    current = question.current_version
    version_add(
        question=question,
        stem=stem if stem is not None else current.stem,
        stem_images=current.stem_images,
        stem_image_alts=current.stem_image_alts,
        data=data if data is not None else current.data,
        explanation=explanation if explanation is not None else current.explanation,
        points=points if points is not None else current.points,
        created_by_id=edited_by_id,
    )
    return question_data(question)


def version_add(
    *,
    question: Question,
    stem: str,
    stem_images: list[str],
    stem_image_alts: Sequence[str] | None,
    data: dict,
    explanation: str,
    points: Decimal | float,
    created_by_id: int | None,
) -> QuestionVersion:
    """The question's next version (the caller holds its row lock); the kind
    validates the definition first."""
    definition = _clean(question.kind, data)
    if not (stem or "").strip() and not stem_images:
        raise Invalid(_("The question has no text."), code="invalid_question")
    number = question.versions.aggregate(n=Max("number"))["n"] or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=number + 1,
        stem=stem.strip(),
        stem_images=stem_images,
        stem_image_alts=_alts_for(stem_images, stem_image_alts),
        data=definition,
        explanation=explanation,
        points=q2(points),
        created_by_id=created_by_id,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version
