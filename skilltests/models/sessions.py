"""Test sessions a directorate publishes, and the seats applicants book in them.

`TestSession.seats_taken` is the seat counter: a booking takes a seat with one
conditional UPDATE (`seats_taken = seats_taken + 1 WHERE seats_taken < seats`), so
concurrent bookings never overbook; the check constraint is the database's last word.
It always equals the session's bookings in `SEAT_HOLDING` states.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from skilltests.models.applications import Application
from skilltests.models.centres import MAX_WORKSHOP_SEATS, TestCentre, Workshop

MIN_DURATION_MIN = 30
MAX_DURATION_MIN = 600


class SessionStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class TestSession(models.Model):
    centre = models.ForeignKey(
        TestCentre, on_delete=models.PROTECT, related_name="sessions"
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="sessions"
    )
    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, related_name="+"
    )
    skill_level = models.ForeignKey(
        "registry.SkillLevel", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_min = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(MIN_DURATION_MIN),
            MaxValueValidator(MAX_DURATION_MIN),
        ],
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WORKSHOP_SEATS)],
    )
    seats_taken = models.PositiveSmallIntegerField(default=0)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessors"),
        related_name="skill_test_sessions_assessed",
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus, default=SessionStatus.PUBLISHED
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    __test__ = False

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("test session")
        verbose_name_plural = _("test sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")),
                name="session_never_overbooked",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="session_has_seats"),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="session_cancelled_with_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["occupation", "skill_level", "starts_at"],
                name="session_offer",
            ),
            models.Index(fields=["centre", "starts_at"], name="session_centre_day"),
        ]

    def __str__(self) -> str:
        return f"{self.centre.name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    MOVED = "moved", _("Moved to another session")
    CANCELLED = "cancelled", _("Cancelled by the applicant")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    # item 4
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")


# An application holds at most one booking in these states.
ACTIVE_BOOKING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
# Bookings counted in a session's seats_taken.
SEAT_HOLDING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


class Booking(models.Model):
    """A seat in a session for an accepted application. `token` is what the slip's
    QR carries (random, unguessable; a moved booking's token stops working)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="bookings"
    )
    session = models.ForeignKey(
        TestSession, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(
        max_length=20, choices=BookingStatus, default=BookingStatus.BOOKED
    )
    token = models.CharField(max_length=32, unique=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The day of the test (issue #21 item 4): who let the candidate in and when (or
    # marked them absent: `ended_at`, `checked_in_by`), and the two parts they sit
    # in assessments (an attempt and a practical test, by id: no upward import).
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attempt_id = models.PositiveIntegerField(null=True, blank=True)
    practical_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=ACTIVE_BOOKING),
                name="one_active_booking_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CHECKED_IN)
                | Q(checked_in_at__isnull=False),
                name="booking_checked_in_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="booking_roster"),
            models.Index(
                fields=["session"],
                condition=Q(status="booked", reminder_sent_at__isnull=True),
                name="booking_reminder_due",
            ),
        ]
