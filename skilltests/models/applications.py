"""Applications for a skill test, their documents and their append-only history.

The whole path of the issue is one state machine (README, "States"); the states past
`booked` are written by the day-of-test work (issue #21 item 4), the course route
(item 5) is a second `kind`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.kernel.private_files import UnguessableName, private_storage

MAX_EXPERIENCE_YEARS = 60


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the directorate")
    RETURNED = "returned", _("Returned to you for changes")
    ACCEPTED = "accepted", _("Accepted: book a seat")
    BOOKED = "booked", _("Seat booked")
    TESTED = "tested", _("Tested, waiting for the result")
    PASSED = "passed", _("Passed, certificate being approved")
    FAILED = "failed", _("Not passed")
    CERTIFIED = "certified", _("Certificate issued")
    NO_SHOW = "no_show", _("Did not come to the test")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An applicant has at most one application in these states per occupation.
OPEN_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.ACCEPTED,
    ApplicationState.BOOKED,
    ApplicationState.TESTED,
    ApplicationState.PASSED,
)


class ApplicationKind(models.TextChoices):
    DIRECT = "direct", _("Worker's own application")
    COURSE = "course", _("After a course on the platform")


class Application(models.Model):
    """One person's request to be tested in an occupation at a level, in the
    governorate where they want to sit it (whose directorate decides on it)."""

    reference = models.CharField(_("reference"), max_length=8, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="skill_test_applications",
    )
    kind = models.CharField(
        max_length=10, choices=ApplicationKind, default=ApplicationKind.DIRECT
    )
    # kind=course: the completed course that opened the route (item 5); kept null if
    # the course page is later deleted, the application stays.
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, related_name="+"
    )
    skill_level = models.ForeignKey(
        "registry.SkillLevel", on_delete=models.PROTECT, related_name="+"
    )
    governorate_code = models.CharField(_("governorate of the test"), max_length=2)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    experience_summary = models.TextField(_("experience"), max_length=2000)
    state = models.CharField(
        max_length=12, choices=ApplicationState, default=ApplicationState.SUBMITTED
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reschedules = models.PositiveSmallIntegerField(default=0)
    # The first day a closed application's applicant may apply again (item 4: a
    # fail or a no-show); None: at once.
    reapply_after = models.DateField(null=True, blank=True)
    # The result of the test (item 4): the pending certificate of a pass (registry,
    # by id), its serial once issued.
    certificate_id = models.PositiveIntegerField(null=True, blank=True)
    certificate_serial = models.CharField(max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("skill-test application")
        verbose_name_plural = _("skill-test applications")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "occupation"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_application_per_occupation",
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.RETURNED) | ~Q(return_reason=""),
                name="application_returned_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind=ApplicationKind.COURSE) | Q(course__isnull=True),
                name="application_course_only_for_course_kind",
            ),
            models.CheckConstraint(
                condition=Q(experience_years__lte=MAX_EXPERIENCE_YEARS),
                name="application_experience_years_range",
            ),
        ]
        indexes = [
            # a directorate's lists: its governorate, a state, oldest first
            models.Index(
                fields=["governorate_code", "state", "submitted_at", "id"],
                name="application_queue",
            ),
            # the head office's lists: every governorate
            models.Index(
                fields=["state", "submitted_at", "id"], name="application_queue_all"
            ),
            # every state: a directorate's, the head office's
            models.Index(
                fields=["governorate_code", "submitted_at", "id"],
                name="application_all_states",
            ),
            models.Index(fields=["submitted_at", "id"], name="application_by_time"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class DocumentKind(models.TextChoices):
    EXPERIENCE_LETTER = "experience_letter", _("Letter from an employer")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
    WORK_PHOTO = "work_photo", _("Photo of your work")
    OTHER = "other", _("Other document")


class ApplicationDocument(models.Model):
    """A file the applicant uploaded: personal data, in the private store under an
    unguessable name, handed out only to the applicant and the deciding staff."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=24, choices=DocumentKind)
    file = models.FileField(
        upload_to=UnguessableName("skilltests/documents"), storage=private_storage
    )
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", _("Application submitted")
    RETURNED = "returned", _("Returned for changes")
    RESUBMITTED = "resubmitted", _("Submitted again after changes")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    BOOKED = "booked", _("Seat booked")
    RESCHEDULED = "rescheduled", _("Appointment moved")
    BOOKING_CANCELLED = "booking_cancelled", _("Appointment cancelled")
    SESSION_CANCELLED = "session_cancelled", _("Test session cancelled")
    # item 4 onwards
    CHECKED_IN = "checked_in", _("Checked in at the centre")
    NO_SHOW = "no_show", _("Did not come to the test")
    TESTED = "tested", _("Tested")
    RESULT = "result", _("Result recorded")
    CERTIFIED = "certified", _("Certificate issued")


class AppendOnly(Exception):
    pass


class ApplicationEvent(models.Model):
    """One change of an application: who, when, from which state to which, why.
    Never edited or deleted (on PostgreSQL a trigger refuses it: migration 0003);
    holds no national ID."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=20, choices=EventAction)
    state_before = models.CharField(max_length=12, blank=True)
    state_after = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="event_timeline")]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly("application events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("application events are never deleted")
