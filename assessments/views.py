"""Exam pages for phones (one question per page, answers saved as given), essay
grading and item analysis for the content team (the practical pages are in
`practical_views`).

Thin: every read is a selector, every write a service; refusals are the services'
coded errors, shown by their message (a NotFound is the page's 404)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.data import AttemptItemPublic
from assessments.forms import response_from_post
from assessments.selectors.people import (
    ANALYSTS,
    GRADERS,
    TRAINEES,
)
from assessments.view_access import me as _me
from assessments.view_access import role_required
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import ServiceError


def _refused(request: HttpRequest, exc: ServiceError | ValidationError) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


@role_required(TRAINEES)
def exam_list(request: HttpRequest) -> HttpResponse:
    user_id = _me(request)
    return render(
        request,
        "assessments/exam_list.html",
        {
            "offers": selectors.exam_offers_for_trainee(user_id=user_id),
            "results": selectors.skill_results_for(user_id=user_id),
        },
    )


@role_required(TRAINEES)
def exam_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exam = selectors.exam_get(slug=slug)
    if request.method == "POST":
        try:
            attempt, _created = services.attempt_start(
                user_id=_me(request), blueprint_id=exam.id
            )
        except ServiceError as exc:
            _refused(request, exc)
            return redirect("assessments:exam_detail", slug=slug)
        return redirect(
            "assessments:attempt_question", attempt_id=attempt.id, position=1
        )
    open_attempt = selectors.attempt_open_for(
        user_id=_me(request), blueprint_id=exam.id
    )
    problems = (
        ()
        if open_attempt
        else selectors.exam_eligibility_problems(
            user_id=_me(request), blueprint_id=exam.id
        )
    )
    return render(
        request,
        "assessments/exam_detail.html",
        {"exam": exam, "open_attempt": open_attempt, "problems": problems},
    )


def _target(request: HttpRequest, position: int) -> int:
    """The question the trainee asked to go to (0: the review page)."""
    try:
        return int(to_western_digits(request.POST.get("go") or "").strip())
    except ValueError:
        return position + 1


def _answer(
    request: HttpRequest, attempt_id: int, item: AttemptItemPublic, total: int
) -> HttpResponse:
    """Save the posted answer, then go where the trainee asked."""
    try:
        services.attempt_answer_save(
            attempt_id=attempt_id,
            user_id=_me(request),
            position=item.position,
            response=response_from_post(item.kind, item.choices, request.POST),
            seq=request.POST.get("seq", 0),
        )
    except (ServiceError, ValidationError) as exc:
        _refused(request, exc)
        return redirect(
            "assessments:attempt_question",
            attempt_id=attempt_id,
            position=item.position,
        )
    target = _target(request, item.position)
    if 1 <= target <= total:
        return redirect(
            "assessments:attempt_question", attempt_id=attempt_id, position=target
        )
    return redirect("assessments:attempt_review", attempt_id=attempt_id)


@role_required(TRAINEES)
def attempt_question(
    request: HttpRequest, attempt_id: int, position: int
) -> HttpResponse:
    attempt = services.attempt_refresh(attempt_id=attempt_id, user_id=_me(request))
    if not attempt.is_open:
        return redirect("assessments:attempt_result", attempt_id=attempt.id)
    public = selectors.attempt_public_get(attempt_id=attempt_id, user_id=_me(request))
    item = public.item(position)
    if item is None:
        raise Http404
    total = len(public.items)
    if request.method == "POST":
        return _answer(request, attempt_id, item, total)
    return render(
        request,
        "assessments/attempt_question.html",
        {
            "attempt": attempt,
            "public": public,
            "item": item,
            "total": total,
            "seq": int(time.time() * 1000),
            "previous": position - 1 if position > 1 else None,
            "next": position + 1 if position < total else None,
        },
    )


@role_required(TRAINEES)
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.attempt_refresh(attempt_id=attempt_id, user_id=_me(request))
    if not attempt.is_open:
        return redirect("assessments:attempt_result", attempt_id=attempt.id)
    public = selectors.attempt_public_get(attempt_id=attempt_id, user_id=_me(request))
    unanswered = [i.position for i in public.items if not i.answered]
    return render(
        request,
        "assessments/attempt_review.html",
        {"attempt": attempt, "public": public, "unanswered": unanswered},
    )


@require_POST
@role_required(TRAINEES)
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    services.attempt_submit(attempt_id=attempt_id, user_id=_me(request))
    return redirect("assessments:attempt_result", attempt_id=attempt_id)


@role_required(TRAINEES)
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.attempt_refresh(attempt_id=attempt_id, user_id=_me(request))
    if attempt.is_open:
        return redirect(
            "assessments:attempt_question", attempt_id=attempt.id, position=1
        )
    result = selectors.attempt_result_get(attempt_id=attempt_id, user_id=_me(request))
    return render(request, "assessments/attempt_result.html", {"result": result})


# --- item analysis (content team) ---------------------------------------------------
@role_required(ANALYSTS)
def bank_analysis(request: HttpRequest, slug: str) -> HttpResponse:
    bank = selectors.bank_get(slug=slug)
    return render(
        request,
        "assessments/bank_analysis.html",
        {"bank": bank, "stats": selectors.item_analysis(bank_id=bank.id)},
    )


# --- essay grading (assessors, ministry staff) -----------------------------------
def _grade(request: HttpRequest) -> None:
    raw = to_western_digits(request.POST.get("percent", "")).strip()
    try:
        percent = float(raw)
        item_id = int(request.POST.get("item") or 0)
    except ValueError:
        messages.error(request, _("Type the grade as a percentage, 0 to 100."))
        return
    try:
        services.attempt_item_grade(
            item_id=item_id, grader_id=_me(request), fraction=percent / 100
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Grade saved."))


@role_required(GRADERS)
def grading_queue(request: HttpRequest) -> HttpResponse:
    """Essay answers waiting for a person, oldest first."""
    if request.method == "POST":
        _grade(request)
        return redirect("assessments:grading_queue")
    items = selectors.essays_to_grade(grader_id=_me(request))
    return render(request, "assessments/grading_queue.html", {"items": items})
