from wagtail import hooks

from lms.kernel.panels import DashboardPanel


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
