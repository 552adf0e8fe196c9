"""Ministry staff's registry pages: search and the certificate page.

Thin: parse input, call a selector, render. A search is POSTed and kept in the
session under a random id, so a typed national ID never appears in a URL, a log
line or the browser's history; the results page and its pages are GETs of that id.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, Invalid, NotFound
from lms.kernel.headers import private_answer
from registry.data import CertificateSearchData
from registry.search_forms import CertificateSearchForm
from registry.selectors import (
    certificate_detail_for_staff,
    certificate_search,
    search_criteria,
)

SESSION_KEY = "registry_searches"
KEPT_SEARCHES = 20


def _scope(request: HttpRequest) -> StaffScope:
    try:
        return staff_scope(user_id=request.user.pk)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _store(request: HttpRequest, criteria: CertificateSearchData) -> str:
    searches: dict[str, Any] = dict(request.session.get(SESSION_KEY) or {})
    search_id = secrets.token_urlsafe(9)
    stored = asdict(criteria)
    for key in ("issued_from", "issued_to"):
        stored[key] = stored[key].isoformat() if stored[key] else None
    searches[search_id] = stored
    while len(searches) > KEPT_SEARCHES:  # dicts keep insertion order
        searches.pop(next(iter(searches)))
    request.session[SESSION_KEY] = searches
    return search_id


def _load(request: HttpRequest, search_id: str) -> CertificateSearchData | None:
    stored = (request.session.get(SESSION_KEY) or {}).get(search_id)
    if not stored:
        return None
    dates = {
        key: dt.date.fromisoformat(stored[key]) if stored.get(key) else None
        for key in ("issued_from", "issued_to")
    }
    return search_criteria(**{**stored, **dates})


def _initial(criteria: CertificateSearchData) -> dict[str, Any]:
    return {k: v for k, v in asdict(criteria).items() if v}


@login_required
@private_answer
def certificate_search_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    status = 200
    page = None
    criteria: CertificateSearchData | None = None
    problem = ""
    if request.method == "POST":
        form = CertificateSearchForm(request.POST, scope=scope)
        if form.is_valid():
            search_id = _store(request, form.criteria())
            return redirect(f"{reverse('registry:search')}?s={search_id}")
        status = 400
    else:
        search_id = request.GET.get("s", "")
        criteria = _load(request, search_id) if search_id else None
        if search_id and criteria is None:
            form = CertificateSearchForm(scope=scope)
            problem = _("This search has expired: search again.")
            status = 404
        else:
            form = CertificateSearchForm(
                initial=_initial(criteria) if criteria else None, scope=scope
            )
    if criteria is not None:
        try:
            page = certificate_search(
                viewer_id=request.user.pk,
                criteria=criteria,
                before_id=_int(request.GET.get("before")),
                after_id=_int(request.GET.get("after")),
            )
        except Invalid as exc:
            problem = exc.message
            status = 400
        except Forbidden as exc:
            problem = exc.message
            status = 403
    return render(
        request,
        "registry/search.html",
        {
            "form": form,
            "page": page,
            "search_id": request.GET.get("s", ""),
            "head_office": scope.head_office,
            "problem": problem,
        },
        status=status,
    )


@login_required
@private_answer
def certificate_detail(request: HttpRequest, serial: str) -> HttpResponse:
    _scope(request)
    try:
        detail = certificate_detail_for_staff(serial=serial, viewer_id=request.user.pk)
    except NotFound as exc:
        return render(
            request,
            "registry/certificate_missing.html",
            {"message": exc.message},
            status=404,
        )
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    return render(request, "registry/certificate_detail.html", {"detail": detail})
