"""Reads about exams: the open ones, and whether a trainee may start one now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import AttemptData, EligibilityProblem, ExamData, ExamOffer
from assessments.models import Attempt, AttemptStatus, ExamBlueprint
from assessments.selectors.build import attempt_data, exam_data
from assessments.selectors.courses import course_completed
from assessments.selectors.people import person
from lms.kernel.errors import NotFound


def _open_exams() -> Any:
    return ExamBlueprint.objects.filter(is_active=True).select_related(
        "occupation", "skill_level"
    )


def exam_get(*, slug: str) -> ExamData:
    """An open exam by its slug; NotFound when there is none (or it is closed)."""
    blueprint = _open_exams().prefetch_related("rules").filter(slug=slug).first()
    if blueprint is None:
        raise NotFound(_("No such exam."), code="exam_not_found")
    return exam_data(blueprint)


def eligibility_problems(
    *,
    user: Any,
    blueprint: ExamBlueprint,
    now: dt.datetime | None = None,
    admitted: bool = False,
) -> tuple[EligibilityProblem, ...]:
    """Why `user` may not start a new attempt of `blueprint` now (empty: eligible).

    Reads the account and the exam themselves (the services hold them already).
    `admitted`: a caller above vouched for the candidate (a skill-test candidate
    checked in at their session), so no completed course is asked for."""
    now = now or timezone.now()
    problems: list[EligibilityProblem] = []
    if not blueprint.is_active:
        problems.append(EligibilityProblem("exam_closed", _("This exam is closed.")))
    if (
        blueprint.requires_course_completion
        and not admitted
        and not course_completed(
            user=user,
            occupation_code=blueprint.occupation.code,
            level_code=blueprint.skill_level.code,
        )
    ):
        problems.append(
            EligibilityProblem(
                "course_not_completed",
                _("Complete the course for this occupation and level before the exam."),
            )
        )
    previous = Attempt.objects.filter(user=user, blueprint=blueprint).exclude(
        status=AttemptStatus.IN_PROGRESS
    )
    if previous.filter(passed=True).exists():
        problems.append(
            EligibilityProblem("exam_passed", _("You have already passed this exam."))
        )
    elif previous.count() >= blueprint.attempts_allowed:
        problems.append(
            EligibilityProblem(
                "attempts_used",
                _("You have used all the attempts allowed for this exam."),
            )
        )
    else:
        last = previous.exclude(submitted_at=None).order_by("-submitted_at").first()
        if last is not None and last.submitted_at is not None:
            ready_at = last.submitted_at + dt.timedelta(
                seconds=blueprint.wait_between_attempts_s
            )
            if ready_at > now:
                when = timezone.localtime(ready_at).strftime("%Y-%m-%d %H:%M")
                problems.append(
                    EligibilityProblem(
                        "wait_between_attempts",
                        _("You can try again after %(when)s.") % {"when": when},
                    )
                )
    return tuple(problems)


def exam_eligibility_problems(
    *, user_id: int, blueprint_id: int, now: dt.datetime | None = None
) -> tuple[EligibilityProblem, ...]:
    """Why the trainee may not start this exam now (empty: they may)."""
    blueprint = (
        ExamBlueprint.objects.select_related("occupation", "skill_level")
        .filter(pk=blueprint_id)
        .first()
    )
    if blueprint is None:
        raise NotFound(_("No such exam."), code="exam_not_found")
    return eligibility_problems(user=person(user_id), blueprint=blueprint, now=now)


def attempt_open_for(*, user_id: int, blueprint_id: int) -> AttemptData | None:
    """The trainee's attempt in progress for this exam, if any."""
    attempt = (
        Attempt.objects.select_related("blueprint")
        .filter(
            user_id=user_id, blueprint_id=blueprint_id, status=AttemptStatus.IN_PROGRESS
        )
        .first()
    )
    return attempt_data(attempt) if attempt else None


def exam_offers_for_trainee(*, user_id: int) -> tuple[ExamOffer, ...]:
    """Every open exam with the trainee's attempt in progress or why they may not
    start it (no problems listed while an attempt is open: they resume it)."""
    user = person(user_id)
    open_attempts = {
        a.blueprint_id: a.pk
        for a in Attempt.objects.filter(
            user_id=user_id, status=AttemptStatus.IN_PROGRESS
        )
    }
    offers = []
    for blueprint in _open_exams().prefetch_related("rules"):
        open_id = open_attempts.get(blueprint.pk)
        problems = (
            () if open_id else eligibility_problems(user=user, blueprint=blueprint)
        )
        offers.append(
            ExamOffer(
                exam=exam_data(blueprint), open_attempt_id=open_id, problems=problems
            )
        )
    return tuple(offers)
