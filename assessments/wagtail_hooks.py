from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry
from lms.kernel.panels import DashboardPanel


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
            description=_("Score a candidate against the rubric, with photos"),
            url_name="assessments:practical_list",
            shown_to=any_role(Role.ASSESSOR),
            section="assessment",
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
        ),
    ]


def _seed(stdout) -> None:
    from assessments.seeding import seed_assessments

    seed_assessments(stdout)


_seed.order = 50
hooks.register("maharat_seed_demo", _seed)


@hooks.register("maharat_dashboard_panels")
def exams_panel(request):
    """The trainee's skill tests and results, under "My courses"."""
    from assessments import selectors
    from lms.accounts.roles import Role, user_has_role

    user = request.user
    if not user_has_role(user, Role.TRAINEE):
        return None
    open_attempts = list(selectors.attempts_open_for_user(user=user))
    results = list(selectors.skill_results_for(user=user)[:5])
    return DashboardPanel(
        slot="courses",
        template="assessments/panel.html",
        context={"open_attempts": open_attempts, "results": results},
        order=90,
    )


@hooks.register("maharat_report_facts")
def assessment_report_facts(*, since=None):
    """Exam attempts, passes and practical tests for the statistics (lms.reports)."""
    from assessments.selectors import report_facts

    return report_facts(since=since)


@hooks.register("maharat_periodic")
def assessments_expire_overdue_attempts():
    """Attempts past their deadline are submitted, even when the deferred task was
    lost."""
    from assessments.services import attempts_expire_overdue

    return attempts_expire_overdue()
