"""Assessments' hooks: demo seed, the trainee's dashboard panel, report facts and the
periodic sweep of overdue attempts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry
from lms.kernel.panels import DashboardPanel


def _practical_drafts(user: Any) -> int:
    """The badge: the assessor's tests due (today or before) and not confirmed."""
    from assessments import selectors

    return selectors.practical_drafts_count(assessor_id=user.pk)


def _questions_to_review(user: Any) -> int:
    """The reviewers' badge: questions sent for review (editors see none)."""
    if not any_role(Role.CONTENT_REVIEWER)(user):
        return 0
    from assessments.selectors.banks import questions_awaiting_review

    return questions_awaiting_review()


@hooks.register("maharat_nav_entries")
def assessments_nav_entries() -> list[NavEntry]:
    """Each entry shows to the roles of its page's ``role_required``."""
    return [
        NavEntry(
            key="assessments.exams",
            label=_("Skill tests"),
            description=_("The theory exams you may sit, and your results"),
            url_name="assessments:exam_list",
            shown_to=any_role(Role.TRAINEE),
            section="learning",
            order=20,
        ),
        NavEntry(
            key="assessments.practical",
            label=_("Practical tests"),
            description=_(
                "Today's and coming tests, drafts to finish and confirm, scores given"
            ),
            url_name="assessments:practical_list",
            shown_to=any_role(Role.ASSESSOR),
            section="assessment",
            count=_practical_drafts,
            order=10,
        ),
        NavEntry(
            key="assessments.grading",
            label=_("Essays to grade"),
            description=_("Written answers waiting for a person, oldest first"),
            url_name="assessments:grading_queue",
            shown_to=any_role(Role.ASSESSOR),
            section="assessment",
            order=20,
        ),
        NavEntry(
            key="assessments.banks",
            label=_("Question banks"),
            description=_("Questions by occupation and level, with item analysis"),
            url_name="assessments:bank_list",
            shown_to=any_role(Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER),
            section="content",
            order=20,
            count=_questions_to_review,
        ),
    ]


def _seed(stdout: Any) -> None:
    from assessments.seeding import seed_assessments

    seed_assessments(stdout)


_seed.order = 50  # type: ignore[attr-defined]
hooks.register("maharat_seed_demo", _seed)


@hooks.register("maharat_dashboard_panels")
def exams_panel(request: HttpRequest) -> DashboardPanel | None:
    """The trainee's skill tests and results, under "My courses"."""
    from assessments import selectors
    from assessments.selectors.people import TRAINEES, has_any_role

    user = request.user
    if not has_any_role(user, TRAINEES) or user.pk is None:
        return None
    return DashboardPanel(
        slot="courses",
        template="assessments/panel.html",
        context={
            "open_attempts": selectors.attempts_open_for_user(user_id=user.pk),
            "results": selectors.skill_results_for(user_id=user.pk, limit=5),
        },
        order=90,
    )


@hooks.register("maharat_report_facts")
def assessment_report_facts(*, since: dt.date | None = None) -> Iterator[dict]:
    """Exam attempts, passes and practical tests for the statistics (lms.reports)."""
    from assessments import selectors

    return selectors.report_facts(since=since)


@hooks.register("maharat_periodic")
def assessments_expire_overdue_attempts() -> int:
    """Attempts past their deadline are submitted, even when the deferred task was
    lost."""
    from assessments import services

    return services.attempts_expire_overdue()
