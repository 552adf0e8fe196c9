"""Reads about question banks: the list, one bank, its category tree and its
questions (filtered, paginated) for the content team's bank page (their item
analysis: `selectors.analysis`)."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.categories import join_path, split_path
from assessments.data import (
    BankData,
    CategoryData,
    CategoryNode,
    QuestionPage,
    QuestionRow,
)
from assessments.models import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionVersion,
    Topic,
)
from assessments.question_types import kind_choices
from assessments.selectors.build import bank_data
from lms.kernel.errors import NotFound

PAGE_SIZE = 25
# What the bank page can show of a question's state, in the filter's order.
STATES = ("active", "inactive", "draft", "review")
STATE_LABELS = {
    "active": gettext_lazy("In use"),
    "inactive": gettext_lazy("Withdrawn"),
    "draft": gettext_lazy("Draft waiting"),
    "review": gettext_lazy("Waiting for review"),
}


def banks_list() -> tuple[BankData, ...]:
    rows = QuestionBank.objects.select_related("occupation", "skill_level")
    return tuple(bank_data(b) for b in rows)


def bank_get(*, slug: str) -> BankData:
    bank = (
        QuestionBank.objects.select_related("occupation", "skill_level")
        .filter(slug=slug)
        .first()
    )
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank_data(bank)


# --- categories (a topic's name is its path) ----------------------------------------
def bank_categories(*, bank_id: int) -> tuple[CategoryData, ...]:
    """The bank's categories (topics), in path order, for choosing one."""
    return tuple(
        CategoryData(
            id=topic.pk, path=topic.name, label=" / ".join(split_path(topic.name))
        )
        for topic in Topic.objects.filter(bank_id=bank_id).order_by("name")
    )


def _node(
    levels: tuple[str, ...],
    paths: dict[tuple[str, ...], tuple[int | None, int]],
) -> CategoryNode:
    topic_id, own = paths.get(levels, (None, 0))
    n = len(levels)
    below = sorted({p[: n + 1] for p in paths if len(p) > n and p[:n] == levels})
    children = tuple(_node(child, paths) for child in below)
    return CategoryNode(
        name=levels[-1],
        path=join_path(list(levels)),
        depth=len(levels) - 1,
        topic_id=topic_id,
        own_count=own,
        total_count=own + sum(c.total_count for c in children),
        children=children,
    )


def bank_category_tree(*, bank_id: int) -> tuple[CategoryNode, ...]:
    """The bank's categories as a tree (Moodle's nesting from the topics' paths),
    each with its own and its subtree's question counts."""
    paths: dict[tuple[str, ...], tuple[int | None, int]] = {}
    topics = Topic.objects.filter(bank_id=bank_id).annotate(n=Count("questions"))
    for topic in topics:
        levels = tuple(split_path(topic.name)) or (topic.name,)
        for depth in range(1, len(levels)):
            paths.setdefault(levels[:depth], (None, 0))
        paths[levels] = (topic.pk, topic.n)
    roots = sorted({levels[:1] for levels in paths})
    return tuple(_node(root, paths) for root in roots)


def _topics_under(bank_id: int, path: str) -> list[int]:
    levels = split_path(path)
    return [
        topic.pk
        for topic in Topic.objects.filter(bank_id=bank_id)
        if split_path(topic.name)[: len(levels)] == levels
    ]


# --- the questions of a bank ----------------------------------------------------------
def _latest(field: str) -> Subquery:
    return Subquery(
        QuestionVersion.objects.filter(question=OuterRef("pk"))
        .order_by("-number")
        .values(field)[:1]
    )


def _state_filter(state: str) -> Q:
    drafts = Q(latest_is_draft=True)
    return {
        "active": Q(is_active=True, current_version__isnull=False),
        "inactive": Q(is_active=False, current_version__isnull=False),
        "draft": drafts,
        "review": drafts & Q(latest_review__isnull=False),
    }.get(state, Q())


def bank_questions(
    *,
    bank_id: int,
    category: str = "",
    kind: str = "",
    difficulty: str = "",
    state: str = "",
    text: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> QuestionPage:
    """One page of a bank's questions, filtered: a category includes its
    subcategories; `text` is looked for in the name and the latest text."""
    rows = Question.objects.filter(bank_id=bank_id).annotate(
        latest_stem=_latest("stem"),
        latest_number=_latest("number"),
        latest_is_draft=_latest("is_draft"),
        latest_review=_latest("review_requested_at"),
    )
    counts = tuple(
        (key, STATE_LABELS[key], rows.filter(_state_filter(key)).count())
        for key in STATES
    )
    if category:
        rows = rows.filter(topic_id__in=_topics_under(bank_id, category))
    if kind:
        rows = rows.filter(kind=kind)
    if difficulty:
        rows = rows.filter(difficulty=difficulty)
    if state in STATES:
        rows = rows.filter(_state_filter(state))
    for word in (text or "").split():
        rows = rows.filter(Q(name__icontains=word) | Q(latest_stem__icontains=word))
    total = rows.count()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    chosen = rows.select_related("topic", "current_version").order_by("-id")
    return QuestionPage(
        rows=tuple(_row(q) for q in chosen[start : start + page_size]),
        total=total,
        page=page,
        pages=pages,
        counts=counts,
    )


def _row(question: Any) -> QuestionRow:
    labels = dict(kind_choices())
    current = question.current_version
    return QuestionRow(
        id=question.pk,
        kind=question.kind,
        kind_label=str(labels.get(question.kind, question.kind)),
        category=" / ".join(split_path(question.topic.name)),
        difficulty=question.difficulty,
        difficulty_label=str(Difficulty(question.difficulty).label),
        name=question.name,
        text=" ".join(str(question.latest_stem or "").split())[:140],
        is_active=question.is_active,
        published_number=current.number if current else None,
        latest_number=question.latest_number or 0,
        has_draft=bool(question.latest_is_draft),
        in_review=bool(question.latest_is_draft and question.latest_review),
    )


def questions_awaiting_review(*, bank_id: int | None = None) -> int:
    """Questions whose latest version is a draft sent for review (the reviewers'
    queue), in one bank or in all."""
    rows = Question.objects.annotate(
        latest_is_draft=_latest("is_draft"),
        latest_review=_latest("review_requested_at"),
    ).filter(_state_filter("review"))
    if bank_id is not None:
        rows = rows.filter(bank_id=bank_id)
    return rows.count()


def review_counts_by_bank() -> dict[int, int]:
    """How many questions wait for review in each bank (banks with none left out)."""
    rows = (
        Question.objects.annotate(
            latest_is_draft=_latest("is_draft"),
            latest_review=_latest("review_requested_at"),
        )
        .filter(_state_filter("review"))
        .values("bank_id")
        .annotate(n=Count("id"))
    )
    return {row["bank_id"]: row["n"] for row in rows}
