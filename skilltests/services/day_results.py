"""What comes back after the day: the skill result assessments records
(`skill_result_recorded`) takes the candidate's application `booked → tested →
passed/failed` (a fail with `reapply_after`), and the certificate registry issues
after its second person's approval (`certificate_issued`) takes it `passed →
certified`. The receivers (`skilltests/receivers.py`) call these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skilltests.models import (
    Application,
    ApplicationState,
    Booking,
    BookingStatus,
    EventAction,
)
from skilltests.services.history import record, tell_applicant


def _candidate_application(
    user_id: int, occupation_code: str, level_code: str
) -> Application | None:
    """The application of this result: checked in and still booked, or already
    decided and not yet certified (a corrected score weighs again)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .filter(
            applicant_id=user_id,
            occupation__code=occupation_code,
            skill_level__code=level_code,
            state__in=(
                ApplicationState.BOOKED,
                ApplicationState.PASSED,
                ApplicationState.FAILED,
            ),
            bookings__status=BookingStatus.CHECKED_IN,
        )
        .order_by("-submitted_at")
        .first()
    )


@transaction.atomic
def result_record(
    *,
    user_id: int,
    occupation_code: str,
    level_code: str,
    passed: bool,
    combined_percent: Decimal,
    certificate_id: int | None,
    now: dt.datetime | None = None,
) -> str | None:
    """Record a skill result on the candidate's application (the reference; None
    when the result is not of a skill-test candidate: a course trainee's)."""
    now = now or timezone.now()
    application = _candidate_application(user_id, occupation_code, level_code)
    if application is None:
        return None
    if application.state == ApplicationState.BOOKED:
        application.state = ApplicationState.TESTED
        application.save(update_fields=["state", "updated_at"])
        record(
            application,
            EventAction.TESTED,
            before=ApplicationState.BOOKED,
            actor_id=None,
        )
        Booking.objects.filter(
            application=application, status=BookingStatus.CHECKED_IN
        ).update(ended_at=now)
    before = application.state
    application.state = ApplicationState.PASSED if passed else ApplicationState.FAILED
    application.certificate_id = certificate_id if passed else None
    application.reapply_after = (
        None
        if passed
        else timezone.localdate(now)
        + dt.timedelta(days=settings.SKILLTESTS_FAIL_REAPPLY_DAYS)
    )
    application.save(
        update_fields=["state", "certificate_id", "reapply_after", "updated_at"]
    )
    record(
        application,
        EventAction.RESULT,
        before=before,
        actor_id=None,
        data={"passed": passed, "percent": str(combined_percent)},
    )
    tell_applicant(application, EventAction.RESULT)
    return application.reference


@transaction.atomic
def certificate_record(*, certificate_id: int, serial: str) -> str | None:
    """The registry issued the certificate of a passed application: certified (the
    reference; None for a certificate of no application)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .filter(certificate_id=certificate_id, state=ApplicationState.PASSED)
        .first()
    )
    if application is None:
        return None
    application.state = ApplicationState.CERTIFIED
    application.certificate_serial = serial
    application.save(update_fields=["state", "certificate_serial", "updated_at"])
    record(
        application,
        EventAction.CERTIFIED,
        before=ApplicationState.PASSED,
        actor_id=None,
        data={"serial": serial},
    )
    tell_applicant(application, EventAction.CERTIFIED)
    return application.reference
