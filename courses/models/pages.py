"""Course content as Wagtail pages.

Tree: CatalogPage → TradePage → CoursePage → ModulePage → LessonPage. What a page
shows beyond its own fields (outline, progress, enrolment) comes from
`courses.page_views` through `rendering`: the models import nothing above them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import LessonStreamBlock
from courses.illustrations import course_illustration, trade_illustration
from courses.models import rendering
from courses.search import normalise_arabic, stream_text
from lms.kernel.page_forms import LatinSlugPageForm
from lms.kernel.page_routes import KnownRestrictions


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    WOMEN = "women", _("Women-only cohort")
    YOUTH = "youth", _("Young people (18–29)")
    DISABILITY = "disability", _("Trainees with disabilities")


class CatalogPage(KnownRestrictions, Page):
    """The course catalog: lists trades and filters courses."""

    base_form_class = LatinSlugPageForm  # short Latin slugs

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.TradePage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.page_context(self, request))
        return context


class TradePage(KnownRestrictions, Page):
    """A trade (e.g. tailoring), pointing at its main registry occupation."""

    base_form_class = LatinSlugPageForm  # short Latin slugs

    trade = models.SlugField(
        _("trade code"),
        max_length=50,
        help_text=_("Matches the registry's trade, e.g. tailoring."),
    )
    occupation = models.ForeignKey(
        "registry.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("trade"),
        FieldPanel("occupation"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.CoursePage"]
    route_select_related = ("occupation",)  # lms.kernel.page_routes
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("trade")

    @property
    def illustration(self) -> str:
        """The static path of the trade's picture (cards, the trade page)."""
        return trade_illustration(self.trade)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .select_related("skill_level")
            .order_by("skill_level__rank", "title")
        )
        context["courses"] = [
            (course, course_illustration(self.trade, course.slug)) for course in courses
        ]
        return context


class CoursePage(KnownRestrictions, Page):
    """A course: what it teaches, to whom, and the rules for completing it."""

    base_form_class = LatinSlugPageForm  # short Latin slugs

    occupation = models.ForeignKey(
        "registry.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    skill_level = models.ForeignKey(
        "registry.SkillLevel",
        verbose_name=_("skill level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)
    estimated_hours = models.PositiveSmallIntegerField(
        _("estimated hours"), default=10, validators=[MinValueValidator(1)]
    )
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="taught_courses",
    )
    video_threshold_pct = models.PositiveSmallIntegerField(
        _("video watch threshold (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of each lesson video a trainee must watch."),
    )
    check_pass_pct = models.PositiveSmallIntegerField(
        _("knowledge-check pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_live_minutes = models.PositiveIntegerField(
        _("minimum live-class minutes"),
        default=0,
        help_text=_("Total live-class attendance needed to complete the course."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("occupation"),
                FieldPanel("skill_level"),
                FieldPanel("estimated_hours"),
                FieldPanel("audience"),
            ],
            heading=_("Course facts"),
        ),
        FieldPanel("prerequisites"),
        FieldPanel("accessibility_notes"),
        FieldPanel("instructors"),
        MultiFieldPanel(
            [
                FieldPanel("video_threshold_pct"),
                FieldPanel("check_pass_pct"),
                FieldPanel("min_live_minutes"),
            ],
            heading=_("Completion rules"),
            help_text=_("Required lessons are marked on each lesson."),
        ),
    ]
    parent_page_types = ["courses.TradePage"]
    subpage_types = ["courses.ModulePage"]
    route_select_related = ("occupation", "skill_level")  # lms.kernel.page_routes
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_text"),
        index.FilterField("audience"),
    ]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.page_context(self, request))
        return context

    @property
    def search_text(self) -> str:
        return normalise_arabic(f"{self.title} {self.summary}")


class ModulePage(KnownRestrictions, Page):
    base_form_class = LatinSlugPageForm  # short Latin slugs
    summary = models.TextField(_("summary"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.page_context(self, request))
        return context


class LessonPage(KnownRestrictions, Page):
    base_form_class = LatinSlugPageForm  # short Latin slugs
    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=15
    )
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Trainees must finish this lesson to complete the course."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_text"),
    ]

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        """A knowledge check answered without JavaScript, or the visit recorded, then
        the page (`courses.page_views.lesson_serve`)."""
        response = rendering.page_serve(self, request)
        if response is not None:
            return response
        return super().serve(request, *args, **kwargs)

    @cached_property
    def course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.page_context(self, request))
        return context

    @property
    def search_text(self) -> str:
        return normalise_arabic(f"{self.title} {self.summary} {stream_text(self.body)}")

    def video_asset_ids(self) -> list[int]:
        """Asset ids of the lesson's videos, read from raw data (no queries)."""
        return [
            int(item["value"]["video"])
            for item in self.body.raw_data
            if item["type"] == "video" and item["value"].get("video")
        ]

    def knowledge_check_ids(self) -> list[str]:
        return [
            item["id"]
            for item in self.body.raw_data
            if item["type"] == "knowledge_check"
        ]

    def knowledge_check_value(self, block_id: str) -> Any:
        """The stored value of one knowledge check of the lesson (None if absent)."""
        for block in self.body:
            if block.block_type == "knowledge_check" and block.id == block_id:
                return block.value
        return None
