import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from lms.accounts import services as accounts_services
from lms.accounts.roles import Role, user_has_role, user_roles
from lms.accounts.selectors import directorate_of, staff_scope
from lms.home.workplace import LEARNING, Workplace, workplace_for
from lms.kernel.errors import Forbidden
from lms.kernel.i18n import language_path
from lms.kernel.panels import (
    SLOTS,
    DashboardPanel,
    dashboard_panels_for,
    panels_kept_until,
)
from lms.kernel.personal_pages import personal_page_keep, seconds


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each person's own page: the tools of their roles (with what waits there), the
    staff's directorate, and a trainee's courses, classes and certificates (a
    trainee's is kept per user: `_keep_if_learning_only`)."""
    workplace = workplace_for(request)
    panels = dashboard_panels_for(request)
    context = {
        "workplace": workplace,
        "panels": panels,
        # a trainee's slots, or any slot an app filled (an instructor's classes)
        "slots_shown": {s: workplace.is_trainee or bool(panels.get(s)) for s in SLOTS},
    }
    if user_has_role(request.user, Role.MINISTRY_STAFF):
        context.update(_directorate_context(request.user))
    _keep_if_learning_only(request, workplace, panels)
    return render(request, "home/dashboard.html", context)


def _keep_if_learning_only(
    request: HttpRequest,
    workplace: Workplace,
    panels: dict[str, list[DashboardPanel]],
) -> None:
    """A trainee's dashboard (no role but trainee, no tool beyond their own learning,
    no badge) is the same page until a service changes what a panel shows (which
    abandons the user's kept pages) or a panel's own time comes: it is kept
    (lms.kernel.personal_pages). Other roles' dashboards show work queues that move
    with other people's actions: never kept."""
    if set(user_roles(request.user)) - {Role.TRAINEE} or workplace.has_work:
        return
    if any(item.count is not None for item in workplace.items):
        return
    until = panels_kept_until(p for items in panels.values() for p in items)
    if until is not None:
        personal_page_keep(request, until=min(until, time.time() + seconds()))


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The phone's "account" place: who is signed in, their own pages (the learning
    entries of the workplace), the language and signing out."""
    workplace = workplace_for(request)
    own = next((s for s in workplace.sections if s.key == LEARNING), None)
    return render(request, "home/account.html", {"own_items": own.items if own else ()})


def _directorate_context(user: Any) -> dict[str, Any]:
    try:
        scope = staff_scope(user_id=user.pk)
    except Forbidden as refusal:
        return {"scope_problem": refusal.message}
    return {"scope": scope, "directorate": directorate_of(user_id=user.pk)}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language, staying on the page: `/en/x/` ↔ `/x/` (Arabic is unprefixed)."""
    language = request.POST.get("language", "")
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("unknown language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated:  # their notices are written in it
        accounts_services.preferred_language_set(
            user_id=request.user.pk, language=language
        )
    response = HttpResponseRedirect(language_path(next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
