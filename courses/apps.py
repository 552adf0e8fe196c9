from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        # The page models reach their context builders through this registration,
        # never by importing them (courses/models/rendering.py).
        from courses import page_views, signals

        page_views.register()
        signals.connect_personal_pages()
