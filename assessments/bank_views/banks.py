"""The list of banks and a bank's page: its questions, filtered and paginated, and
its categories as a tree (created, renamed and moved here)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors
from assessments.bank_views.common import refused
from assessments.data import CategoryNode
from assessments.models import Difficulty
from assessments.question_types import kind_choices
from assessments.selectors.banks import (
    STATE_LABELS,
    bank_category_tree,
    bank_questions,
    review_counts_by_bank,
)
from assessments.selectors.people import ANALYSTS, has_any_role
from assessments.selectors.question_editor import AUTHORS, PUBLISHERS
from assessments.services import bank_categories
from assessments.view_access import me
from assessments.view_access import role_required as roles_required
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import ServiceError

FILTERS = ("category", "kind", "difficulty", "state", "q")


@roles_required(ANALYSTS)
def bank_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/bank_list.html",
        {
            "banks": selectors.banks_list(),
            "can_edit": has_any_role(request.user, AUTHORS),
            "waiting": review_counts_by_bank(),
        },
    )


def _options(nodes: tuple[CategoryNode, ...]) -> list[tuple[str, str]]:
    """Every node of the tree (implied levels too), indented, for a select."""
    options = []
    for node in nodes:
        options.append((node.path, " " * node.depth + node.name))
        options.extend(_options(node.children))
    return options


def _page_number(raw: str | None) -> int:
    try:
        return int(to_western_digits(raw or "1").strip())
    except ValueError:
        return 1


@roles_required(AUTHORS)
def bank_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bank = selectors.bank_get(slug=slug)
    chosen = {key: request.GET.get(key, "").strip() for key in FILTERS}
    page = bank_questions(
        bank_id=bank.id,
        category=chosen["category"],
        kind=chosen["kind"],
        difficulty=chosen["difficulty"],
        state=chosen["state"],
        text=chosen["q"],
        page=_page_number(request.GET.get("page")),
    )
    tree = bank_category_tree(bank_id=bank.id)
    kept = urlencode({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "assessments/banks/bank_detail.html",
        {
            "bank": bank,
            "page": page,
            "tree": tree,
            "category_options": _options(tree),
            "chosen": chosen,
            "kept": kept,
            "kinds": kind_choices(),
            "difficulties": Difficulty.choices,
            "states": list(STATE_LABELS.items()),
            "can_publish": has_any_role(request.user, PUBLISHERS),
        },
    )


def _category_action(request: HttpRequest, bank_id: int) -> str:
    action = request.POST.get("action")
    path = request.POST.get("path", "")
    if action == "create":
        created = bank_categories.category_create(
            bank_id=bank_id,
            user_id=me(request),
            name=request.POST.get("name", ""),
            parent_path=request.POST.get("parent", ""),
        )
        return _("Category “%(name)s” created.") % {"name": created.label}
    if action == "rename":
        bank_categories.category_rename(
            bank_id=bank_id,
            user_id=me(request),
            path=path,
            name=request.POST.get("name", ""),
        )
        return _("Category renamed.")
    bank_categories.category_move(
        bank_id=bank_id,
        user_id=me(request),
        path=path,
        parent_path=request.POST.get("parent", ""),
    )
    return _("Category moved.")


@require_POST
@roles_required(AUTHORS)
def category_action(request: HttpRequest, slug: str) -> HttpResponse:
    bank = selectors.bank_get(slug=slug)
    try:
        messages.success(request, _category_action(request, bank.id))
    except ServiceError as exc:
        refused(request, exc)
    return redirect("assessments:bank_detail", slug=slug)
