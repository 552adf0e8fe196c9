from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillTestsConfig(AppConfig):
    name = "skilltests"
    label = "skilltests"
    verbose_name = _("Skill-test applications")
