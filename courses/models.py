"""Course content as Wagtail pages, and each trainee's enrolment and progress.

Tree: CatalogPage → TradePage → CoursePage → ModulePage → LessonPage. Progress rows
point at pages by id; completion is recorded once per (user, course).
"""

from __future__ import annotations

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


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    WOMEN = "women", _("Women-only cohort")
    YOUTH = "youth", _("Young people (18–29)")
    DISABILITY = "disability", _("Trainees with disabilities")


class CatalogPage(Page):
    """The course catalog: lists trades and filters courses."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.TradePage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalog_filter

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_filter(params=request.GET))
        return context


class TradePage(Page):
    """A trade (e.g. tailoring), pointing at its main registry occupation."""

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
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("trade")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .select_related("skill_level")
            .order_by("skill_level__rank", "title")
        )
        return context


class CoursePage(Page):
    """A course: what it teaches, to whom, and the rules for completing it."""

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
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_text"),
        index.FilterField("audience"),
    ]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from courses.sections import course_sections_for
        from courses.selectors import course_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_state(course=self, request=request))
        context["sections"] = course_sections_for(request=request, course_id=self.pk)
        return context

    @property
    def search_text(self) -> str:
        from courses.search import normalise_arabic

        return normalise_arabic(f"{self.title} {self.summary}")


class ModulePage(Page):
    summary = models.TextField(_("summary"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import enrollment_exists

        context = super().get_context(request, *args, **kwargs)
        course = CoursePage.objects.ancestor_of(self).first()
        context["enrolled"] = course is not None and enrollment_exists(
            user=request.user, course_id=course.pk
        )
        return context


class LessonPage(Page):
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
        """POST answers a knowledge check without JavaScript (same server scoring)."""
        if request.method == "POST" and "check" in request.POST:
            from courses.views import lesson_check_post

            return lesson_check_post(request, lesson=self)
        saving = "X-Offline-Save" in request.headers  # stored for later, not read now
        if (
            request.user.is_authenticated
            and not saving
            and not getattr(request, "is_preview", False)
        ):
            from courses.services import lesson_open

            lesson_open(user=request.user, lesson=self, course=self.course)
        return super().serve(request, *args, **kwargs)

    @cached_property
    def course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import lesson_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(
            lesson_page_state(lesson=self, request=request, course=self.course)
        )
        return context

    @property
    def search_text(self) -> str:
        from courses.search import normalise_arabic, stream_text

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

    def knowledge_check_value(self, block_id: str):
        for block in self.body:
            if block.block_type == "knowledge_check" and block.id == block_id:
                return block.value
        return None


# --- Enrolment and progress --------------------------------------------------------


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_enrollment")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id} ({self.status})"


class LessonProgress(models.Model):
    """One trainee's progress through one lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("first opened"))
    last_opened_at = models.DateTimeField(_("last opened"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="uniq_lesson_prog")
        ]
        indexes = [models.Index(fields=["course", "user"])]


class VideoProgress(models.Model):
    """Seconds of one lesson video a trainee actually watched (monotonic)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    asset_id = models.PositiveIntegerField(_("video asset id"))
    watched_s = models.PositiveIntegerField(_("seconds watched"), default=0)
    duration_s = models.PositiveIntegerField(_("video duration (s)"), default=0)
    position_s = models.PositiveIntegerField(_("last position (s)"), default=0)
    last_accepted_at = models.DateTimeField(_("last accepted heartbeat"))

    class Meta:
        verbose_name = _("video progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "asset_id"], name="uniq_video_prog"
            )
        ]


class CheckResult(models.Model):
    """The best score a trainee reached on one knowledge check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(_("check block id"), max_length=64)
    best_score_pct = models.PositiveSmallIntegerField(_("best score (%)"), default=0)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge-check result")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="uniq_check_result"
            )
        ]


class ProgressEvent(models.Model):
    """A client event already applied: replaying its id changes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client_event_id = models.CharField(_("client event id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20)
    accepted = models.BooleanField(_("accepted"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress event")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_event_id"], name="uniq_progress_event"
            )
        ]


class LiveAttendance(models.Model):
    """Minutes a trainee attended one live class (reported by virtual_classes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(_("source"), max_length=100)
    minutes = models.PositiveIntegerField(_("minutes"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live-class attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "source_key"], name="uniq_live_attendance"
            )
        ]


class CourseCompletion(models.Model):
    """A course completed: recorded exactly once per trainee and course."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("course completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_completion")
        ]
