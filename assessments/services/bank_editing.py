"""The content team's questions in the web: written as drafts, reviewed and
published (the categories are in `bank_categories`).

Saving never edits a version: each save writes a new `QuestionVersion`, a draft.
Publishing a draft makes it the question's current version (what exams draw) and
gives the question the category, difficulty and name the draft carries; only the
publish marks (who, when) are ever set on a saved version. As for pages
(content/README.md), an editor saves drafts and asks for a review; a reviewer
publishes, and withdraws a question from use or puts it back.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import DraftSaved
from assessments.models import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionVersion,
    Topic,
)
from assessments.question_types import get_kind
from assessments.selectors.people import has_any_role, person
from assessments.selectors.question_editor import (
    AUTHORS,
    COMBINED_FEEDBACK_KINDS,
    PUBLISHERS,
    SHUFFLED_KINDS,
)
from assessments.services.questions import q2
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound

FEEDBACK_KEYS = ("correct", "partial", "incorrect")


def author_check(user_id: int | None, *, publishing: bool = False) -> Any:
    """The person behind `user_id` if they may write (or, `publishing`, publish)."""
    user = person(user_id)
    if user is None or not has_any_role(user, AUTHORS):
        raise Forbidden(
            _("Only the content team edits question banks."), code="not_content_team"
        )
    if publishing and not has_any_role(user, PUBLISHERS):
        raise Forbidden(
            _(
                "Only a content reviewer publishes questions or takes them out of "
                "use: ask for a review."
            ),
            code="publish_needs_review",
        )
    return user


def bank_or_404(bank_id: int) -> QuestionBank:
    """The bank, or NotFound."""
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank


# --- questions ----------------------------------------------------------------------
def _common(kind: str, data: dict) -> dict:
    """What every kind may carry besides its key: hints, and where the kind has
    them, combined feedback and the shuffle pin."""
    common: dict[str, Any] = {}
    if kind != "essay":  # graded by a person: no tries, no hints between them
        hints = data.get("hints") or []
        common["hints"] = [str(h).strip() for h in hints if str(h).strip()]
    if kind in COMBINED_FEEDBACK_KINDS:
        feedback = data.get("feedback") or {}
        common["feedback"] = {
            k: str(feedback.get(k) or "").strip() for k in FEEDBACK_KEYS
        }
    if kind in SHUFFLED_KINDS:
        common["shuffle"] = data.get("shuffle", True) is not False
    return common


def definition_clean(*, kind: str, data: dict) -> dict:
    """The kind's validated definition with the common keys; Invalid otherwise."""
    try:
        cleaned = get_kind(kind).clean(data)
    except ValidationError as exc:
        raise Invalid.from_validation_error(exc, code="invalid_question") from None
    for key, value in _common(kind, data).items():
        cleaned.setdefault(key, value)
    return cleaned


def _points(points: Any) -> Decimal:
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0 or value >= 10_000:
        raise Invalid(
            _("A question must be worth more than 0 points."), code="invalid_points"
        )
    return q2(value)


def _fields(
    bank_id: int, *, topic_id: int, difficulty: str, stem: str, images: list
) -> Topic:
    topic = Topic.objects.filter(pk=topic_id, bank_id=bank_id).first()
    if topic is None:
        raise Invalid(
            _("Choose one of the bank's categories."), code="unknown_category"
        )
    if difficulty not in Difficulty.values:
        raise Invalid(
            _("Unknown difficulty “%(value)s”.") % {"value": difficulty},
            code="invalid_question",
        )
    if not (stem or "").strip() and not images:
        raise Invalid(_("The question has no text."), code="invalid_question")
    return topic


def _saved(version: QuestionVersion) -> DraftSaved:
    return DraftSaved(
        question_id=version.question_id,
        version_id=version.pk,
        version_number=version.number,
        is_draft=version.is_draft,
    )


@transaction.atomic
def question_draft_create(
    *,
    bank_id: int,
    user_id: int | None,
    kind: str,
    topic_id: int,
    stem: str,
    data: dict,
    explanation: str = "",
    points: Any = 1,
    difficulty: str = Difficulty.MEDIUM,
    name: str = "",
) -> DraftSaved:
    """A new question whose first version is a draft: out of use until published."""
    author = author_check(user_id)
    bank = bank_or_404(bank_id)
    definition = definition_clean(kind=kind, data=data)
    topic = _fields(
        bank.pk, topic_id=topic_id, difficulty=difficulty, stem=stem, images=[]
    )
    worth = _points(points)
    question = Question.objects.create(
        bank=bank,
        topic=topic,
        kind=kind,
        difficulty=difficulty,
        name=(name or "").strip()[:255],
        is_active=False,
    )
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        stem=stem.strip(),
        data=definition,
        explanation=(explanation or "").strip(),
        points=worth,
        created_by=author,
        is_draft=True,
        topic=topic,
        difficulty=difficulty,
        name=question.name,
    )
    return _saved(version)


def _locked(question_id: int, bank_id: int | None) -> Question:
    rows = Question.objects.select_for_update().filter(pk=question_id)
    if bank_id is not None:
        rows = rows.filter(bank_id=bank_id)
    question = rows.first()
    if question is None:
        raise NotFound(_("No such question."))
    return question


def _latest(question: Question) -> QuestionVersion:
    version = question.versions.order_by("-number").first()
    if version is None:
        raise NotFound(_("No such question."))
    return version


@transaction.atomic
def question_draft_save(
    *,
    question_id: int,
    user_id: int | None,
    stem: str,
    data: dict,
    explanation: str,
    points: Any,
    difficulty: str,
    topic_id: int,
    name: str = "",
    bank_id: int | None = None,
) -> DraftSaved:
    """Save what the editor holds as a new draft version (the stem's pictures are
    kept from the latest version); what exams draw is unchanged until published."""
    author = author_check(user_id)
    question = _locked(question_id, bank_id)
    latest = _latest(question)
    definition = definition_clean(kind=question.kind, data=data)
    topic = _fields(
        question.bank_id,
        topic_id=topic_id,
        difficulty=difficulty,
        stem=stem,
        images=latest.stem_images,
    )
    fields = {
        "stem": (stem or "").strip(),
        "data": definition,
        "explanation": (explanation or "").strip(),
        "points": _points(points),
        "topic_id": topic.pk,
        "difficulty": difficulty,
        "name": (name or "").strip()[:255],
    }
    if all(getattr(latest, key) == value for key, value in fields.items()):
        return _saved(latest)  # nothing changed: no new version
    number = question.versions.aggregate(n=Max("number"))["n"] or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=number + 1,
        stem_images=latest.stem_images,
        stem_image_alts=latest.stem_image_alts,
        created_by=author,
        is_draft=True,
        **fields,
    )
    return _saved(version)


@transaction.atomic
def question_review_request(
    *, question_id: int, user_id: int | None, bank_id: int | None = None
) -> DraftSaved:
    """Ask a reviewer to publish the latest draft (asking twice changes nothing)."""
    author = author_check(user_id)
    latest = _latest(_locked(question_id, bank_id))
    if not latest.is_draft:
        raise Conflict(
            _("There is no draft to review: save your changes first."),
            code="nothing_to_review",
        )
    if latest.review_requested_at is None:
        latest.review_requested_at = timezone.now()
        latest.review_requested_by = author
        latest.save(update_fields=["review_requested_at", "review_requested_by"])
    return _saved(latest)


@transaction.atomic
def question_publish(
    *,
    question_id: int,
    user_id: int | None,
    version_id: int | None = None,
    bank_id: int | None = None,
) -> DraftSaved:
    """Make a draft (the latest unless `version_id` names one) the question's current
    version; a question published for the first time comes into use."""
    reviewer = author_check(user_id, publishing=True)
    question = _locked(question_id, bank_id)
    versions = question.versions.select_for_update()
    version = (
        versions.filter(pk=version_id).first()
        if version_id is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise NotFound(_("No such version."))
    if not version.is_draft:
        raise Conflict(
            _("Version %(n)d is published already.") % {"n": version.number},
            code="already_published",
        )
    version.is_draft = False
    version.published_at = timezone.now()
    version.published_by = reviewer
    version.save(update_fields=["is_draft", "published_at", "published_by"])
    first = question.current_version_id is None
    question.current_version = version
    question.topic_id = version.topic_id or question.topic_id
    question.difficulty = version.difficulty or question.difficulty
    question.name = version.name
    question.is_active = question.is_active or first
    question.save(
        update_fields=["current_version", "topic", "difficulty", "name", "is_active"]
    )
    return _saved(version)


@transaction.atomic
def question_active_set(
    *, question_id: int, user_id: int | None, active: bool, bank_id: int | None = None
) -> bool:
    """Withdraw a question from exams, or put it back in use (reviewers)."""
    author_check(user_id, publishing=True)
    question = _locked(question_id, bank_id)
    if active and question.current_version_id is None:
        raise Conflict(
            _("Publish the question before putting it in use."),
            code="never_published",
        )
    question.is_active = active
    question.save(update_fields=["is_active"])
    return active
