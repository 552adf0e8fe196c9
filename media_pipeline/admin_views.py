"""Admin endpoints behind /cms/: live progress JSON, retry and cancel (POST), and the
download of an original (private: it may show people)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.permissions import policy_registry

from lms.kernel.errors import ServiceError
from lms.kernel.private_files import private_file_response
from media_pipeline import selectors, services
from media_pipeline.models import VideoAsset

CHANGE_PERM = "media_pipeline.change_videoasset"
# what opens the "Videos" snippet list (Wagtail's IndexView.any_permission_required)
LIST_ACTIONS = ("add", "change", "delete", "view")


def may_see_videos(user) -> bool:
    """Whoever may open the Videos snippet: content editors and reviewers."""
    policy = policy_registry.get_by_type(VideoAsset)
    return policy.user_has_any_permission(user, LIST_ACTIONS)


def _require_change(request: HttpRequest) -> None:
    if not request.user.has_perm(CHANGE_PERM):
        raise PermissionDenied


@require_GET
def progress(request: HttpRequest) -> JsonResponse:
    """Status and percent of the listed assets (?ids=1,2,3), polled by the admin."""
    if not request.user.has_perm("media_pipeline.view_videoasset") and not (
        request.user.has_perm(CHANGE_PERM)
    ):
        raise PermissionDenied
    try:
        ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip()]
    except ValueError:
        return JsonResponse({"error": _("ids must be numbers")}, status=400)
    rows = selectors.video_asset_progress_list(asset_ids=ids)
    return JsonResponse({"assets": [asdict(row) for row in rows]})


def _title(asset_id: int) -> str:
    title = selectors.video_asset_title_get(asset_id=asset_id)
    if title is None:
        raise Http404
    return title


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("wagtailsnippets_media_pipeline_videoasset:list")


@require_POST
def retry(request: HttpRequest, asset_id: int) -> HttpResponse:
    _require_change(request)
    title = _title(asset_id)
    try:
        services.video_asset_retry(asset_id=asset_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(title)s” is queued again.") % {"title": title})
    return _back(request)


@require_POST
def cancel(request: HttpRequest, asset_id: int) -> HttpResponse:
    _require_change(request)
    title = _title(asset_id)
    try:
        services.video_asset_cancel(asset_id=asset_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cancelling “%(title)s”.") % {"title": title})
    return _back(request)


@require_GET
def original(request: HttpRequest, asset_id: int) -> HttpResponse:
    """The uploaded original as a download, only for those who may see the Videos."""
    if not may_see_videos(request.user):
        raise PermissionDenied
    original = selectors.video_asset_original_get(asset_id=asset_id)
    if original is None:
        raise Http404
    suffix = PurePosixPath(original.name).suffix
    stem = slugify(original.title, allow_unicode=True) or f"video-{asset_id}"
    return private_file_response(
        original.name, download_name=f"{stem}{suffix}", as_attachment=True
    )
