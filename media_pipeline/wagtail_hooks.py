"""Admin: the Videos snippet (upload, live progress, retry, cancel, captions, the
original's download)."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media_pipeline import admin_views, services
from media_pipeline.forms import VideoAssetForm
from media_pipeline.models import VideoAsset


class PipelineStatusColumn(Column):
    """Status with a live progress bar, the failure reason, retry and cancel."""

    cell_template_name = "media_pipeline/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(
            asset=instance,
            running=instance.status
            in (*VideoAsset.RUNNING, VideoAsset.Status.UPLOADED),
            csrf_token=get_token(request) if request else "",
            next_url=request.get_full_path() if request else "",
        )
        return context


class OriginalDownloadColumn(Column):
    """A link to download the original (private; the view checks who asks)."""

    cell_template_name = "media_pipeline/admin/original_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["asset"] = instance
        return context


class VideoAssetViewSet(SnippetViewSet):
    model = VideoAsset
    icon = "media"
    menu_label = _("Videos")
    add_to_admin_menu = True
    list_display = [
        "title",
        PipelineStatusColumn("status", label=_("Status")),
        "duration_s",
        DateColumn("created_at", label=_("Created at")),
        OriginalDownloadColumn("original", label=_("Original")),
    ]
    list_filter = ["status"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("original"),
            InlinePanel("captions", label=_("Caption tracks")),
        ],
        base_form_class=VideoAssetForm,
    )


register_snippet(VideoAssetViewSet)


@hooks.register("after_create_snippet")
def start_pipeline_after_upload(request, instance):
    if isinstance(instance, VideoAsset):
        services.video_asset_enqueue(asset_id=instance.pk)


@hooks.register("after_edit_snippet")
def restart_pipeline_when_original_replaced(request, instance):
    if isinstance(instance, VideoAsset) and getattr(
        instance, "_original_changed", False
    ):
        services.video_asset_enqueue(asset_id=instance.pk)


@hooks.register("register_admin_urls")
def media_admin_urls():
    return [
        path("media/progress/", admin_views.progress, name="media_progress"),
        path("media/<int:asset_id>/retry/", admin_views.retry, name="media_retry"),
        path("media/<int:asset_id>/cancel/", admin_views.cancel, name="media_cancel"),
        path(
            "media/<int:asset_id>/original/",
            admin_views.original,
            name="media_original",
        ),
    ]


@hooks.register("insert_global_admin_js")
def media_progress_js():
    return format_html(
        '<script src="{}" defer></script>', static("media_pipeline/admin_progress.js")
    )


@hooks.register("maharat_seed_demo")
def seed_demo_video(stdout):
    from media_pipeline.seeding import seed_demo_video as run

    run(stdout)


seed_demo_video.order = 20  # before courses (30), which puts it in a lesson


@hooks.register("maharat_periodic")
def media_requeue_stale_runs():
    """Runs whose worker stopped beating (killed at 95 %) are run again (the sweep)."""
    return services.video_asset_requeue_stale()


@hooks.register("maharat_periodic")
def media_scratch_sweep():
    """ffmpeg scratch folders of assets that are not running are removed."""
    from media_pipeline.jobs import scratch_sweep

    return scratch_sweep()


def _failed_videos(user) -> int:
    """Videos that failed or were cancelled: the workplace's badge."""
    from media_pipeline.selectors import video_asset_state_counts

    return video_asset_state_counts().failed


@hooks.register("maharat_nav_entries")
def media_nav_entries():
    from lms.accounts.roles import Role, any_role
    from lms.kernel.navigation import NavEntry

    return [
        NavEntry(
            key="media_pipeline.videos",
            label=_("Videos and their state"),
            description=_("Queued, processing, ready or failed, and why"),
            url_name="media_pipeline:video_list",
            shown_to=any_role(Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER),
            section="content",
            count=_failed_videos,
            order=14,
        )
    ]
