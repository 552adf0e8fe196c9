from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VirtualClassesConfig(AppConfig):
    name = "virtual_classes"
    label = "virtual_classes"
    verbose_name = _("Live classes")

    def ready(self) -> None:
        # the services' announcements become queued tasks (jobs.py)
        from virtual_classes import jobs, receivers  # noqa: F401

        receivers.connect()  # what a trainee's kept pages must hear of
