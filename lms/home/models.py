"""The site's root page (Wagtail). Catalog pages hang below it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from lms.kernel.page_forms import LatinSlugPageForm
from lms.kernel.page_routes import KnownRestrictions


class HomePage(KnownRestrictions, Page):
    base_form_class = LatinSlugPageForm  # short Latin slugs
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["trades"] = [
            child.specific for child in self.get_children().live().public()
        ]
        return context
