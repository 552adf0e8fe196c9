from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "lms.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from lms.kernel import media_types

        media_types.register()
