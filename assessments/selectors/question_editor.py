"""Reads for the question editor: a question with its version history, and the
preview of what is being typed, built the way an exam builds a trainee's view."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.data import AttemptItemPublic, QuestionEditData, VersionData
from assessments.models import Question, QuestionVersion
from assessments.question_types import get_kind, image_url, kind_choices
from lms.accounts.roles import Role
from lms.kernel.errors import Invalid, NotFound

# Questions follow the pages' workflow (content/README.md): editors write drafts and
# ask for a review; reviewers also publish (and withdraw) what exams draw.
AUTHORS = (Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER)
PUBLISHERS = (Role.CONTENT_REVIEWER,)

# Kinds whose options the author may pin in the written order (data["shuffle"]).
SHUFFLED_KINDS = ("single_choice", "multiple_response", "matching")
# Kinds with Moodle's combined feedback (correct / partially correct / incorrect).
COMBINED_FEEDBACK_KINDS = ("single_choice", "multiple_response", "matching", "ordering")
# The preview's shuffle is the same on every keystroke.
PREVIEW_SEED = 17


def kind_label(kind: str) -> str:
    return str(dict(kind_choices()).get(kind, kind))


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def _version(version: QuestionVersion, current_id: int | None) -> VersionData:
    return VersionData(
        id=version.pk,
        number=version.number,
        stem=version.stem,
        stem_images=tuple(version.stem_images or ()),
        stem_image_alts=tuple(version.stem_image_alts or ()),
        data=dict(version.data or {}),
        explanation=version.explanation,
        points=Decimal(version.points),
        topic_id=version.topic_id,
        difficulty=version.difficulty,
        name=version.name,
        is_draft=version.is_draft,
        is_current=version.pk == current_id,
        created_at=version.created_at,
        created_by=_name(version.created_by),
        review_requested_at=version.review_requested_at,
        published_at=version.published_at
        or (None if version.is_draft else version.created_at),
        published_by=_name(version.published_by),
    )


def question_editor_get(*, bank_id: int, question_id: int) -> QuestionEditData:
    """A question of the bank with every version (newest first)."""
    question = Question.objects.filter(pk=question_id, bank_id=bank_id).first()
    if question is None:
        raise NotFound(_("No such question."))
    versions = question.versions.select_related("created_by", "published_by").order_by(
        "-number"
    )
    return QuestionEditData(
        id=question.pk,
        bank_id=question.bank_id,
        kind=question.kind,
        kind_label=kind_label(question.kind),
        topic_id=question.topic_id,
        difficulty=question.difficulty,
        name=question.name,
        is_active=question.is_active,
        versions=tuple(_version(v, question.current_version_id) for v in versions),
    )


def question_preview(
    *,
    kind: str,
    stem: str,
    data: dict,
    points: Decimal | float = 1,
    stem_images: tuple[str, ...] = (),
    stem_image_alts: tuple[str, ...] = (),
) -> AttemptItemPublic:
    """The question as a trainee's exam page receives it (the kind's public view,
    shuffled unless pinned), from what the author typed; nothing is saved.
    Invalid (with the kind's messages) when the definition is not valid yet."""
    try:
        question_kind = get_kind(kind)
        definition = question_kind.clean(data)
    except ValidationError as exc:
        raise Invalid.from_validation_error(exc, code="invalid_question") from None
    shuffle = data.get("shuffle", True) is not False
    public = question_kind.public(
        definition, rng=random.Random(PREVIEW_SEED), shuffle=shuffle
    )
    return AttemptItemPublic(
        position=1,
        kind=kind,
        stem=(stem or "").strip(),
        stem_image_urls=tuple(image_url(name) or "" for name in stem_images),
        stem_image_alts=tuple(
            (list(stem_image_alts) + [""] * len(stem_images))[: len(stem_images)]
        ),
        choices=public,
        points=str(points),
        response=None,
        seq=0,
    )
