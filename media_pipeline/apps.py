from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    label = "media_pipeline"
    verbose_name = _("Media pipeline")

    def ready(self) -> None:
        from media_pipeline import signals  # noqa: F401
