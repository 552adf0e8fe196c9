from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillTestsConfig(AppConfig):
    name = "skilltests"
    label = "skilltests"
    verbose_name = _("Skill-test applications")

    def ready(self) -> None:
        # the results and certificates of the day of the test (receivers.py)
        from skilltests import receivers

        receivers.connect()
