"""The content team's workplace: pages in review (the moderation workflow)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content import selectors
from lms.accounts.roles import Role, any_role

content_team = any_role(Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER)
reviewers = any_role(Role.CONTENT_REVIEWER)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Pages waiting for this person's review (reviewers), and their own pages in
    review with the step each waits at."""
    if not content_team(request.user):
        raise PermissionDenied
    me = request.user.pk
    return render(
        request,
        "content/review_list.html",
        {
            "is_reviewer": reviewers(request.user),
            "to_review": selectors.pages_to_review(user_id=me)
            if reviewers(request.user)
            else (),
            "submitted": selectors.pages_submitted_by(user_id=me),
        },
    )
