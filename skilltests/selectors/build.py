"""Rows → `skilltests.data` objects (the selectors' and services' one way out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from lms.accounts.national_id import governorates
from skilltests.data import (
    ApplicationData,
    ApplicationRow,
    BookingData,
    CentreData,
    DocumentData,
    EventData,
    SessionData,
    TradeData,
    WorkshopData,
)
from skilltests.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationState,
    Booking,
    BookingStatus,
    DocumentKind,
    EventAction,
    SessionStatus,
    TestCentre,
    TestSession,
)


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


def governorate_name(code: str) -> str:
    governorate = governorates().get(code)
    if governorate is None:
        return code
    return governorate.name_en if _english() else governorate.name_ar


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return user.display_name


def centre_data(
    centre: TestCentre,
    *,
    with_workshops: bool = False,
    upcoming_sessions: int = 0,
    distance_km: float | None = None,
) -> CentreData:
    """`centre.workshops` prefetched with their occupations (active ones only)."""
    workshops = [w for w in centre.workshops.all() if w.is_active]
    trades: dict[str, TradeData] = {}
    for workshop in workshops:
        for occupation in workshop.occupations.all():
            trades.setdefault(
                occupation.code,
                TradeData(occupation.code, occupation.title_ar, occupation.title_en),
            )
    return CentreData(
        code=centre.code,
        name_ar=centre.name_ar,
        name_en=centre.name_en,
        governorate_code=centre.governorate_code,
        governorate_name=governorate_name(centre.governorate_code),
        address_ar=centre.address_ar,
        address_en=centre.address_en,
        latitude=float(centre.latitude),
        longitude=float(centre.longitude),
        phone=centre.phone,
        trades=tuple(trades[code] for code in sorted(trades)),
        workshops=tuple(
            WorkshopData(
                id=w.pk,
                code=w.code,
                name_ar=w.name_ar,
                name_en=w.name_en,
                seats=w.seats,
                occupation_codes=tuple(sorted(o.code for o in w.occupations.all())),
            )
            for w in workshops
        )
        if with_workshops
        else (),
        upcoming_sessions=upcoming_sessions,
        distance_km=distance_km,
    )


def session_data(session: TestSession, *, with_assessors: bool = False) -> SessionData:
    """`centre`, `workshop`, `occupation`, `skill_level` selected with it (and
    `assessors` prefetched when asked for)."""
    centre = session.centre
    return SessionData(
        id=session.pk,
        centre_code=centre.code,
        centre_name=centre.name,
        centre_address=centre.address_en if _english() else centre.address_ar,
        governorate_code=centre.governorate_code,
        workshop_name=session.workshop.name,
        occupation_code=session.occupation.code,
        occupation_title=session.occupation.title,
        level_code=session.skill_level.code,
        level_name=session.skill_level.name,
        starts_at=session.starts_at,
        duration_min=session.duration_min,
        seats=session.seats,
        seats_taken=session.seats_taken,
        status=session.status,
        status_label=str(SessionStatus(session.status).label),
        assessor_names=tuple(person_name(a) for a in session.assessors.all())
        if with_assessors
        else (),
        cancel_reason=session.cancel_reason,
    )


def may_change_booking(booking: Booking) -> bool:
    """Before the change deadline of an active booking in a published session."""
    if booking.status != BookingStatus.BOOKED:
        return False
    session = booking.session
    if session.status != SessionStatus.PUBLISHED:
        return False
    deadline = session.starts_at - dt.timedelta(
        hours=settings.SKILLTESTS_CHANGE_CLOSES_H
    )
    return timezone.now() < deadline


def booking_data(booking: Booking) -> BookingData:
    return BookingData(
        id=booking.pk,
        status=booking.status,
        status_label=str(BookingStatus(booking.status).label),
        booked_at=booking.booked_at,
        session=session_data(booking.session),
        may_change=may_change_booking(booking),
    )


def document_data(document: ApplicationDocument) -> DocumentData:
    return DocumentData(
        id=document.pk,
        kind=document.kind,
        kind_label=str(DocumentKind(document.kind).label),
        original_name=document.original_name,
        content_type=document.content_type,
        size_bytes=document.size_bytes,
        uploaded_at=document.uploaded_at,
    )


def event_data(event: ApplicationEvent) -> EventData:
    return EventData(
        action=event.action,
        label=str(EventAction(event.action).label),
        state_after=event.state_after,
        at=event.at,
        actor_name=person_name(event.actor),
        reason=event.reason,
    )


def application_row(application: Application) -> ApplicationRow:
    """`applicant`, `occupation`, `skill_level` selected with it."""
    return ApplicationRow(
        id=application.pk,
        reference=application.reference,
        state=application.state,
        state_label=str(ApplicationState(application.state).label),
        applicant_name=person_name(application.applicant),
        occupation_code=application.occupation.code,
        occupation_title=application.occupation.title,
        level_name=application.skill_level.name,
        governorate_code=application.governorate_code,
        governorate_name=governorate_name(application.governorate_code),
        experience_years=application.experience_years,
        submitted_at=application.submitted_at,
    )


def application_data(
    application: Application,
    *,
    documents: Iterable[ApplicationDocument] = (),
    events: Iterable[ApplicationEvent] = (),
    booking: Booking | None = None,
) -> ApplicationData:
    return ApplicationData(
        reference=application.reference,
        state=application.state,
        state_label=str(ApplicationState(application.state).label),
        kind=application.kind,
        applicant_id=application.applicant_id,
        applicant_name=person_name(application.applicant),
        national_id=application.applicant.national_id or "",
        occupation_code=application.occupation.code,
        occupation_title=application.occupation.title,
        level_code=application.skill_level.code,
        level_name=application.skill_level.name,
        governorate_code=application.governorate_code,
        governorate_name=governorate_name(application.governorate_code),
        experience_years=application.experience_years,
        experience_summary=application.experience_summary,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        decided_by_id=application.decided_by_id,
        return_reason=application.return_reason,
        reschedules=application.reschedules,
        reapply_after=application.reapply_after,
        documents=tuple(document_data(d) for d in documents),
        events=tuple(event_data(e) for e in events),
        booking=booking_data(booking) if booking is not None else None,
    )
