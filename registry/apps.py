from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # The receiver that enqueues import runs (registry.jobs) lives with the task.
        from registry import tasks  # noqa: F401
