from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # The receiver that enqueues import runs (registry.jobs) lives with the task.
        from registry import receivers, tasks  # noqa: F401

        receivers.connect()  # what a trainee's kept pages must hear of
