"""The reminder before the day: once per booking, from the periodic sweep."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skilltests.models import Booking, BookingStatus, SessionStatus
from skilltests.services.history import remind_applicant


def booking_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every applicant whose session starts within SKILLTESTS_REMINDER_H
    hours and who was not reminded yet. Each booking is claimed with one
    conditional UPDATE, so overlapping sweeps send nothing twice. Returns how many
    were reminded."""
    now = now or timezone.now()
    lead = dt.timedelta(hours=settings.SKILLTESTS_REMINDER_H)
    due = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            session__status=SessionStatus.PUBLISHED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + lead,
        )
        .select_related(
            "application__occupation", "application__skill_level", "session__centre"
        )
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for booking in due[:1000]:
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking.pk,
                status=BookingStatus.BOOKED,
                reminder_sent_at__isnull=True,
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another sweep took it, or it was moved meanwhile
            sent += remind_applicant(booking.application, booking.session)
    return sent
