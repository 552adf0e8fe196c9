"""The question editor: every kind, saved as a new draft version each time; the
review and publish actions; and the live preview, rendered with the trainee's own
exam partial from what the form holds (never saved)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors
from assessments.bank_views.common import refused
from assessments.bank_views.editor_form import (
    definition_from_state,
    read_number,
    state_from_post,
    state_from_version,
)
from assessments.data import BankData, QuestionEditData
from assessments.models import Difficulty
from assessments.question_types import kind_choices
from assessments.selectors.banks import bank_categories
from assessments.selectors.people import has_any_role
from assessments.selectors.question_editor import (
    AUTHORS,
    COMBINED_FEEDBACK_KINDS,
    PUBLISHERS,
    SHUFFLED_KINDS,
    kind_label,
    question_editor_get,
    question_preview,
)
from assessments.services import bank_editing
from assessments.view_access import me
from assessments.view_access import role_required as roles_required
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import Invalid, ServiceError

# The trainees' language: the preview is their page, whatever the author reads.
TRAINEE_LANGUAGE = "ar"


def _preview_html(
    request: HttpRequest, kind: str, state: dict, data: dict, stem_images: Any
) -> str:
    """The trainee's rendering of what the form holds, or why it cannot be shown."""
    context: dict[str, Any] = {"errors": list(state["errors"].values())}
    with translation.override(TRAINEE_LANGUAGE):
        if not context["errors"]:
            try:
                context["item"] = question_preview(
                    kind=kind,
                    stem=state["stem"],
                    data=data,
                    points=state["points"] or 1,
                    stem_images=stem_images,
                )
            except Invalid as exc:
                context["errors"] = [exc.message]
        return render_to_string(
            "assessments/banks/_preview.html", context, request=request
        )


def _stem_images(question: QuestionEditData | None) -> tuple[Any, ...]:
    if question is None:
        return ()
    return tuple(
        zip(question.latest.stem_images, question.latest.stem_image_alts, strict=False)
    )


def _editor(
    request: HttpRequest,
    bank: BankData,
    kind: str,
    state: dict,
    *,
    question: QuestionEditData | None = None,
    data: dict | None = None,
    form_errors: tuple[str, ...] = (),
    status: int = 200,
) -> HttpResponse:
    if data is None:
        data, _errors = definition_from_state(kind, state)
    images = question.latest.stem_images if question else ()
    return render(
        request,
        "assessments/banks/editor.html",
        {
            "bank": bank,
            "kind": kind,
            "kind_label": kind_label(kind),
            "question": question,
            "state": state,
            "form_errors": form_errors,
            "categories": bank_categories(bank_id=bank.id),
            "difficulties": Difficulty.choices,
            "shuffled": kind in SHUFFLED_KINDS,
            "combined": kind in COMBINED_FEEDBACK_KINDS,
            "can_publish": has_any_role(request.user, PUBLISHERS),
            "preview": mark_safe(_preview_html(request, kind, state, data, images)),
            "stem_pictures": _stem_images(question),
        },
        status=status,
    )


def _save(
    request: HttpRequest,
    bank: BankData,
    kind: str,
    state: dict,
    data: dict,
    question_id: int | None,
) -> int:
    """Save a draft and do what the button asked (ask for review, publish), all or
    nothing; the question's id."""
    try:
        topic_id = int(state["topic"] or 0)
    except ValueError:
        topic_id = 0
    values = {
        "stem": state["stem"],
        "data": data,
        "explanation": state["explanation"],
        "points": state["points"] or "1",
        "difficulty": state["difficulty"],
        "topic_id": topic_id,
        "name": state["name"],
    }
    action = request.POST.get("action", "save")
    with transaction.atomic():
        if question_id is None:
            saved = bank_editing.question_draft_create(
                bank_id=bank.id, user_id=me(request), kind=kind, **values
            )
        else:
            saved = bank_editing.question_draft_save(
                question_id=question_id, bank_id=bank.id, user_id=me(request), **values
            )
        if action == "review":
            bank_editing.question_review_request(
                question_id=saved.question_id, user_id=me(request)
            )
            messages.success(request, _("Draft saved and sent for review."))
        elif action == "publish" and saved.is_draft:
            bank_editing.question_publish(
                question_id=saved.question_id,
                user_id=me(request),
                version_id=saved.version_id,
            )
            messages.success(request, _("Published: exams now draw this version."))
        elif not saved.is_draft:
            messages.info(request, _("Nothing changed since the published version."))
        else:
            messages.success(
                request,
                _("Draft saved as version %(n)d.") % {"n": saved.version_number},
            )
    return saved.question_id


def _post(
    request: HttpRequest, bank: BankData, kind: str, question: QuestionEditData | None
) -> HttpResponse:
    state = state_from_post(kind, request.POST)
    data, state["errors"] = definition_from_state(kind, state)
    try:
        read_number(state["points"])
    except ValueError:
        state["errors"]["points"] = _("Type a number, for example 12.5.")
    if state["errors"]:
        problem = (_("Correct the fields marked below."),)
        return _editor(
            request,
            bank,
            kind,
            state,
            question=question,
            data=data,
            form_errors=problem,
            status=400,
        )
    if request.POST.get("action") == "preview":
        return _editor(request, bank, kind, state, question=question, data=data)
    state_points = to_western_digits(state["points"]).replace(",", ".")
    try:
        question_id = _save(
            request,
            bank,
            kind,
            {**state, "points": state_points},
            data,
            question.id if question else None,
        )
    except ServiceError as exc:
        problems = (
            exc.message,
            *(m for ms in exc.fields.values() for m in ms if m != exc.message),
        )
        return _editor(
            request,
            bank,
            kind,
            state,
            question=question,
            data=data,
            form_errors=problems,
            status=400,
        )
    return redirect(
        "assessments:question_edit", slug=bank.slug, question_id=question_id
    )


@roles_required(AUTHORS)
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    bank = selectors.bank_get(slug=slug)
    kinds = dict(kind_choices())
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in kinds:
        return render(
            request,
            "assessments/banks/question_kind.html",
            {"bank": bank, "kinds": kind_choices()},
        )
    if request.method == "POST":
        return _post(request, bank, kind, None)
    meta = {
        "name": "",
        "topic": request.GET.get("category_id", ""),
        "difficulty": Difficulty.MEDIUM.value,
    }
    state = state_from_version(
        kind, stem="", data={}, explanation="", points=1, meta=meta
    )
    return _editor(request, bank, kind, state)


@roles_required(AUTHORS)
def question_edit(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    bank = selectors.bank_get(slug=slug)
    question = question_editor_get(bank_id=bank.id, question_id=question_id)
    if request.method == "POST":
        return _post(request, bank, question.kind, question)
    latest = question.latest
    meta = {
        "name": latest.name if latest.is_draft else question.name,
        "topic": str(
            (latest.topic_id if latest.is_draft else None) or question.topic_id
        ),
        "difficulty": (latest.difficulty if latest.is_draft else "")
        or question.difficulty,
    }
    state = state_from_version(
        question.kind,
        stem=latest.stem,
        data=latest.data,
        explanation=latest.explanation,
        points=latest.points,
        meta=meta,
    )
    return _editor(request, bank, question.kind, state, question=question)


@require_POST
@roles_required(AUTHORS)
def question_status(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """Ask for review, publish a draft, withdraw from use or put back."""
    bank = selectors.bank_get(slug=slug)
    action = request.POST.get("action")
    ids = {"question_id": question_id, "user_id": me(request), "bank_id": bank.id}
    try:
        if action == "review":
            bank_editing.question_review_request(**ids)
            messages.success(request, _("Sent for review."))
        elif action == "publish":
            version = request.POST.get("version") or ""
            bank_editing.question_publish(
                **ids, version_id=int(version) if version.isdigit() else None
            )
            messages.success(request, _("Published: exams now draw this version."))
        elif action in ("withdraw", "restore"):
            bank_editing.question_active_set(**ids, active=action == "restore")
            messages.success(
                request,
                _("Back in use.") if action == "restore" else _("Withdrawn from use."),
            )
    except ServiceError as exc:
        refused(request, exc)
    return redirect("assessments:question_edit", slug=slug, question_id=question_id)


@require_POST
@roles_required(AUTHORS)
def question_preview_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The preview fragment for what the editor holds: authorised like the editor,
    never saves."""
    bank = selectors.bank_get(slug=slug)
    question_id = request.POST.get("question") or ""
    question = (
        question_editor_get(bank_id=bank.id, question_id=int(question_id))
        if question_id.isdigit()
        else None
    )
    kind = question.kind if question else request.POST.get("kind", "")
    if kind not in dict(kind_choices()):
        return HttpResponse(status=400)
    state = state_from_post(kind, request.POST)
    data, state["errors"] = definition_from_state(kind, state)
    images = question.latest.stem_images if question else ()
    html = _preview_html(request, kind, state, data, images)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    return response
