"""Exam pages for phones (one question per page, answers saved as given), the
assessor's practical form, and item analysis for the content team."""

from __future__ import annotations

import mimetypes
import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.forms import EvidenceForm, PracticalStartForm, response_from_post
from assessments.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    ExamBlueprint,
    PracticalAssessment,
    PracticalStatus,
    QuestionBank,
    Rubric,
)
from lms.accounts.roles import Role, user_has_role
from lms.kernel.digits import to_western_digits
from lms.kernel.private_files import private_file_response

ANALYSTS = (Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER, Role.MINISTRY_STAFF)


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(user_has_role(request.user, r) for r in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _own_attempt(request, attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_related("blueprint", "user")
        .filter(pk=attempt_id, user=request.user)
        .first()
    )
    if attempt is None:
        raise Http404
    if services.attempt_expire_if_due(attempt=attempt):
        attempt.refresh_from_db()
    return attempt


@role_required(Role.TRAINEE)
def exam_list(request):
    rows = []
    for blueprint in selectors.blueprints_for_trainee():
        rows.append(
            {
                "blueprint": blueprint,
                "open": selectors.attempt_open_for(
                    user=request.user, blueprint=blueprint
                ),
                "problems": services.attempt_eligibility_problems(
                    user=request.user, blueprint=blueprint
                ),
            }
        )
    results = selectors.skill_results_for(user=request.user)
    return render(
        request, "assessments/exam_list.html", {"rows": rows, "results": results}
    )


@role_required(Role.TRAINEE)
def exam_detail(request, slug: str):
    blueprint = get_object_or_404(ExamBlueprint, slug=slug, is_active=True)
    open_attempt = selectors.attempt_open_for(user=request.user, blueprint=blueprint)
    if request.method == "POST":
        try:
            attempt = services.attempt_start(user=request.user, blueprint=blueprint)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assessments:exam_detail", slug=slug)
        return redirect(
            "assessments:attempt_question", attempt_id=attempt.pk, position=1
        )
    problems = (
        []
        if open_attempt
        else services.attempt_eligibility_problems(
            user=request.user, blueprint=blueprint
        )
    )
    return render(
        request,
        "assessments/exam_detail.html",
        {
            "blueprint": blueprint,
            "open_attempt": open_attempt,
            "problems": problems,
            "rules_count": sum(r.count for r in blueprint.rules.all()),
            "time_limit_min": blueprint.time_limit_s // 60,
        },
    )


@role_required(Role.TRAINEE)
def attempt_question(request, attempt_id: int, position: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise Http404
    total = attempt.items.count()
    if request.method == "POST":
        try:
            response = response_from_post(
                item.snapshot["kind"], item.public, request.POST
            )
            services.attempt_answer_save(
                attempt_id=attempt.pk,
                user=request.user,
                position=position,
                response=response,
                seq=request.POST.get("seq", 0),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(
                "assessments:attempt_question", attempt_id=attempt.pk, position=position
            )
        target = int(request.POST.get("go") or position + 1)
        if 1 <= target <= total:
            return redirect(
                "assessments:attempt_question", attempt_id=attempt.pk, position=target
            )
        return redirect("assessments:attempt_review", attempt_id=attempt.pk)
    public = selectors.attempt_public_get(attempt=attempt)
    return render(
        request,
        "assessments/attempt_question.html",
        {
            "attempt": attempt,
            "public": public,
            "item": public.items[position - 1],
            "total": total,
            "seq": int(time.time() * 1000),
            "previous": position - 1 if position > 1 else None,
            "next": position + 1 if position < total else None,
        },
    )


@role_required(Role.TRAINEE)
def attempt_review(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    public = selectors.attempt_public_get(attempt=attempt)
    unanswered = [i.position for i in public.items if i.response in (None, "", [], {})]
    return render(
        request,
        "assessments/attempt_review.html",
        {"attempt": attempt, "public": public, "unanswered": unanswered},
    )


@require_POST
@role_required(Role.TRAINEE)
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    services.attempt_submit(attempt_id=attempt.pk, user=request.user)
    return redirect("assessments:attempt_result", attempt_id=attempt.pk)


@role_required(Role.TRAINEE)
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(
            "assessments:attempt_question", attempt_id=attempt.pk, position=1
        )
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "topics": selectors.attempt_scores_by_topic(attempt=attempt),
        },
    )


# --- practical (assessor, tablet) ----------------------------------------------------
@role_required(Role.ASSESSOR)
def practical_list(request):
    assessments = PracticalAssessment.objects.filter(
        assessor=request.user
    ).select_related("trainee", "rubric")[:100]
    form = PracticalStartForm(rubrics=Rubric.objects.filter(is_active=True))
    return render(
        request,
        "assessments/practical_list.html",
        {"assessments": assessments, "form": form},
    )


@require_POST
@role_required(Role.ASSESSOR)
def practical_start(request):
    form = PracticalStartForm(
        request.POST, rubrics=Rubric.objects.filter(is_active=True)
    )
    if form.is_valid():
        try:
            assessment = services.practical_assessment_create(
                rubric=form.cleaned_data["rubric"],
                trainee=form.cleaned_data["trainee"],
                assessor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("assessments:practical_score", assessment_id=assessment.pk)
    assessments = PracticalAssessment.objects.filter(assessor=request.user)[:100]
    return render(
        request,
        "assessments/practical_list.html",
        {"assessments": assessments, "form": form},
        status=400,
    )


@role_required(Role.ASSESSOR)
def practical_score(request, assessment_id: int):
    assessment = get_object_or_404(
        PracticalAssessment.objects.select_related("rubric", "trainee"),
        pk=assessment_id,
        assessor=request.user,
    )
    criteria = list(assessment.rubric.criteria.prefetch_related("levels"))
    chosen = {s.criterion_id: s for s in assessment.scores.all()}
    evidence_form = EvidenceForm()
    status = 200
    if request.method == "POST" and assessment.status == PracticalStatus.DRAFT:
        try:
            if "upload" in request.POST:
                evidence_form = EvidenceForm(request.POST, request.FILES)
                if not evidence_form.is_valid():
                    raise ValidationError(_("Choose a photo to upload."))
                services.practical_evidence_add(
                    assessment_id=assessment.pk,
                    assessor=request.user,
                    image=evidence_form.cleaned_data["image"],
                    caption=evidence_form.cleaned_data["caption"],
                )
                messages.success(request, _("Photo attached."))
            else:
                levels = {}
                notes = {}
                for criterion in criteria:
                    raw = request.POST.get(f"c-{criterion.pk}")
                    if raw:
                        try:
                            levels[criterion.pk] = int(raw)
                        except ValueError:
                            raise ValidationError(_("Choose a level.")) from None
                    notes[criterion.pk] = request.POST.get(f"n-{criterion.pk}", "")
                services.practical_assessment_score(
                    assessment_id=assessment.pk,
                    assessor=request.user,
                    levels=levels,
                    comments=request.POST.get("comments", ""),
                    criterion_comments=notes,
                    submit="submit" in request.POST,
                )
                messages.success(
                    request,
                    _("Practical test submitted.")
                    if "submit" in request.POST
                    else _("Scores saved."),
                )
            return redirect("assessments:practical_score", assessment_id=assessment.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 400
    return render(
        request,
        "assessments/practical_score.html",
        {
            "assessment": assessment,
            "criteria": [(c, chosen.get(c.pk)) for c in criteria],
            "evidence": assessment.evidence.all(),
            "evidence_form": evidence_form,
        },
        status=status,
    )


# Served inline only as a picture; any other type (a renamed file) is a download.
INLINE_PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


@login_required
def evidence_photo(request, evidence_id: int):
    """A practical test's photo, for its assessor, its trainee and ministry staff;
    anyone else gets the same 404 as for a photo that does not exist."""
    evidence = selectors.practical_evidence_for_viewer(
        evidence_id=evidence_id, viewer=request.user
    )
    if evidence is None or not evidence.image:
        raise Http404
    name = evidence.image.name
    content_type = mimetypes.guess_type(name)[0]
    if content_type in INLINE_PHOTO_TYPES:
        return private_file_response(name, content_type=content_type)
    return private_file_response(
        name, content_type="application/octet-stream", as_attachment=True
    )


# --- item analysis (content team) ---------------------------------------------------
@role_required(*ANALYSTS)
def bank_analysis(request, slug: str):
    bank = get_object_or_404(QuestionBank, slug=slug)
    return render(
        request,
        "assessments/bank_analysis.html",
        {"bank": bank, "stats": selectors.item_analysis(bank=bank)},
    )


@role_required(*ANALYSTS)
def bank_list(request):
    return render(
        request,
        "assessments/bank_list.html",
        {"banks": QuestionBank.objects.select_related("occupation", "skill_level")},
    )


# --- essay grading (assessors, ministry staff) -----------------------------------
@role_required(Role.ASSESSOR, Role.MINISTRY_STAFF)
def grading_queue(request):
    """Essay answers waiting for a person, oldest first."""
    if request.method == "POST":
        item_id = request.POST.get("item")
        raw = to_western_digits(request.POST.get("percent", "")).strip()
        try:
            percent = float(raw)
        except ValueError:
            messages.error(request, _("Type the grade as a percentage, 0 to 100."))
        else:
            try:
                services.attempt_item_grade(
                    item_id=int(item_id or 0),
                    grader=request.user,
                    fraction=percent / 100,
                )
                messages.success(request, _("Grade saved."))
            except (ValidationError, AttemptItem.DoesNotExist, ValueError) as exc:
                messages.error(
                    request, " ".join(getattr(exc, "messages", [_("No such answer.")]))
                )
        return redirect("assessments:grading_queue")
    items = (
        AttemptItem.objects.filter(
            attempt__status=AttemptStatus.AWAITING_GRADING, score=None
        )
        .exclude(attempt__user=request.user)
        .select_related("attempt__blueprint")
        .order_by("attempt__submitted_at", "position")[:50]
    )
    return render(request, "assessments/grading_queue.html", {"items": items})
