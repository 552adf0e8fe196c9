"""Pages in the review workflow (Wagtail moderation), read for the workplace.

The "Content review" workflow (migration 0001) has one group-approval task for the
content reviewers: a page waits for whoever may moderate its current task (Wagtail's
own rule, `TaskState.objects.reviewable_by`), and its author follows their own
submissions (what Wagtail's dashboard shows as "Your pages in moderation").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from wagtail.models import (
    Page,
    TaskState,
    WorkflowState,
    get_default_page_content_type,
)

from content.data import PageInReviewData


def _user(user_id: int) -> Any:
    return get_user_model().objects.get(pk=user_id)


def _who(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def _data(
    page: Page, task_name: str, requested_by: Any, at: dt.datetime
) -> PageInReviewData:
    return PageInReviewData(
        page_id=page.pk,
        title=page.get_admin_display_title(),
        task_name=task_name,
        requested_by=_who(requested_by),
        submitted_at=at,
        edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        preview_url=reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
    )


def _reviewable(user: Any) -> QuerySet[TaskState]:
    return (
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type=get_default_page_content_type())
        .select_related("task", "workflow_state__requested_by")
    )


def pages_to_review(*, user_id: int) -> tuple[PageInReviewData, ...]:
    """Pages whose current review task this person may approve, oldest first."""
    user = _user(user_id)
    states = list(_reviewable(user).order_by("started_at"))
    pages = Page.objects.in_bulk([int(s.workflow_state.object_id) for s in states])
    return tuple(
        _data(
            pages[int(s.workflow_state.object_id)],
            s.task.name,
            s.workflow_state.requested_by,
            s.started_at,
        )
        for s in states
        if int(s.workflow_state.object_id) in pages
    )


def pages_to_review_count(*, user_id: int) -> int:
    return _reviewable(_user(user_id)).count()


def pages_submitted_by(*, user_id: int) -> tuple[PageInReviewData, ...]:
    """This person's pages in review (sent by them, or pages they own), newest first."""
    page_ids = [
        str(pk)
        for pk in Page.objects.filter(owner_id=user_id).values_list("pk", flat=True)
    ]
    states = list(
        WorkflowState.objects.active()
        .filter(base_content_type=get_default_page_content_type())
        .filter(Q(requested_by_id=user_id) | Q(object_id__in=page_ids))
        .select_related("current_task_state__task", "requested_by")
        .order_by("-created_at")
    )
    pages = Page.objects.in_bulk([int(s.object_id) for s in states])
    return tuple(
        _data(
            pages[int(s.object_id)],
            s.current_task_state.task.name if s.current_task_state else "",
            s.requested_by,
            s.created_at,
        )
        for s in states
        if int(s.object_id) in pages
    )
