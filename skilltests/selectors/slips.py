"""The appointment slip and what the centre sees when it scans one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lms.accounts.national_id import mask_national_id_public
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound
from skilltests.data import SlipCheckData, SlipData
from skilltests.models import ACTIVE_BOOKING, Booking, BookingStatus, SessionStatus
from skilltests.selectors.build import person_name, session_data


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related(
        "application__applicant",
        "application__occupation",
        "application__skill_level",
        "session__centre",
        "session__workshop",
        "session__occupation",
        "session__skill_level",
    )


def slip_check_url(token: str) -> str:
    """The address the slip's QR holds (no personal data: the booking's token)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("skilltests:slip_check", args=[token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def slip_get(*, reference: str, applicant_id: int) -> SlipData:
    """The slip of the applicant's active appointment; NotFound without one."""
    booking = (
        _bookings()
        .filter(
            application__reference=reference.upper(),
            application__applicant_id=applicant_id,
            status__in=ACTIVE_BOOKING,
        )
        .first()
    )
    if booking is None:
        raise NotFound(
            _("This application has no appointment to print."), code="no_appointment"
        )
    application = booking.application
    return SlipData(
        reference=application.reference,
        applicant_name=person_name(application.applicant),
        national_id_masked=mask_national_id_public(application.applicant.national_id),
        occupation_code=application.occupation.code,
        occupation_title=application.occupation.title,
        level_name=application.skill_level.name,
        session=session_data(booking.session),
        check_url=slip_check_url(booking.token),
        status=booking.status,
    )


def _may_check(viewer_id: int | None, booking: Booking) -> bool:
    """Staff of the centre's directorate (head office: all) or the session's
    assessors."""
    if viewer_id is None:
        return False
    viewer = get_user_model().objects.filter(pk=viewer_id, is_active=True).first()
    if viewer is None:
        return False
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        try:
            scope = staff_scope(user_id=viewer.pk)
        except Forbidden:
            return False
        if scope.covers(booking.session.centre.governorate_code):
            return True
    if user_has_role(viewer, Role.ASSESSOR):
        return booking.session.assessors.filter(pk=viewer.pk).exists()
    return False


def slip_check(*, token: str, viewer_id: int | None) -> SlipCheckData:
    """What a scanned slip names, for those who run the session; NotFound for
    anyone else and for an unknown token (as if it did not exist)."""
    booking = _bookings().filter(token=token).first()
    if booking is None or not _may_check(viewer_id, booking):
        raise NotFound(_("This slip is not known here."), code="slip_not_found")
    application = booking.application
    return SlipCheckData(
        reference=application.reference,
        applicant_name=person_name(application.applicant),
        national_id=application.applicant.national_id or "",
        booking_status=booking.status,
        booking_status_label=str(BookingStatus(booking.status).label),
        session=session_data(booking.session),
        valid=booking.status in ACTIVE_BOOKING
        and booking.session.status == SessionStatus.PUBLISHED,
    )
