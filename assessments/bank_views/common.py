"""What the bank pages share: who may open them, and refusals shown by message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from assessments.selectors.people import has_any_role
from lms.accounts.roles import Role
from lms.kernel.errors import NotFound, ServiceError

View = Callable[..., HttpResponse]


def roles_required(roles: tuple[Role, ...]) -> Callable[[View], View]:
    """Signed in and holding one of `roles` (403 otherwise); NotFound is a 404."""

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
    user_id = request.user.pk
    assert user_id is not None, "behind login_required"
    return int(user_id)


def refused(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)
