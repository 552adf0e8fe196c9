from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = _("Skill tests")

    def ready(self) -> None:
        # signals: file clean-up; tasks: answers what the services ask through jobs
        from assessments import receivers, signals, tasks  # noqa: F401

        receivers.connect()  # what a trainee's kept pages must hear of
