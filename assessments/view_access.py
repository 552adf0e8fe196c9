"""What every assessments page checks first: who is signed in and in which role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from assessments.selectors.people import has_any_role
from lms.accounts.roles import Role
from lms.kernel.errors import NotFound

View = Callable[..., HttpResponse]


def role_required(roles: tuple[Role, ...]) -> Callable[[View], View]:
    """Signed in and holding one of `roles` (403 otherwise); a NotFound from a
    service or selector is the page's 404."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return wrapper

    return decorator


def me(request: HttpRequest) -> int:
    """The signed-in person's id (the decorators let nobody else through)."""
    user_id = request.user.pk
    assert user_id is not None, "behind login_required"
    return int(user_id)
