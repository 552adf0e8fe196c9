from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media_pipeline.models import VideoAsset


class VideoAssetViewSet(SnippetViewSet):
    model = VideoAsset
    icon = "media"
    menu_label = "Videos"
    list_display = ["title", "status", "created_at"]
    add_to_admin_menu = True


register_snippet(VideoAssetViewSet)
