"""The content team's workplace: videos and where their processing stands."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms.accounts.roles import Role, any_role
from media_pipeline import selectors

content_team = any_role(Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER)
CHANGE_PERM = "media_pipeline.change_videoasset"


@login_required
@require_GET
def video_list(request: HttpRequest) -> HttpResponse:
    """Every video with its state (?state=queued|processing|ready|failed), the reason
    of a failure and, for those who may change videos, Retry (the admin's endpoint)."""
    if not content_team(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in selectors.STATE_GROUPS:
        state = ""
    return render(
        request,
        "media_pipeline/video_list.html",
        {
            "videos": selectors.video_asset_state_list(state=state),
            "counts": selectors.video_asset_state_counts(),
            "state": state,
            "may_change": request.user.has_perm(CHANGE_PERM),
        },
    )
