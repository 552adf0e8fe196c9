"""What every skill-test page checks first: who is signed in, and for staff pages
the directorate they work in. A refusal answers 403 with its reason; a NotFound
from a selector or service is the page's 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound

View = Callable[..., HttpResponse]


def refused(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    """A 403 that says why, and what to do when it is the identity."""
    return render(
        request,
        "skilltests/refused.html",
        {"message": exc.message, "code": exc.code},
        status=403,
    )


def me(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None, "behind login_required"
    return int(user_id)


def signed_in(view: View) -> View:
    """Any signed-in person (each page then asks the services what they may do)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return refused(request, exc)
        except NotFound:
            raise Http404 from None

    return wrapper


def staff_page(view: View) -> View:
    """Ministry staff placed in a directorate; the scope is the view's second
    argument (lms.accounts.selectors.staff_scope refuses everyone else)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            scope: StaffScope = staff_scope(user_id=request.user.pk)
            return view(request, scope, *args, **kwargs)
        except Forbidden as exc:
            return refused(request, exc)
        except NotFound:
            raise Http404 from None

    return wrapper
