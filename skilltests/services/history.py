"""Every change of an application, in the same transaction as the change: one
append-only `ApplicationEvent` and one notice to the applicant (SMS or e-mail, as
they chose; lms.kernel.notifications)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.services import notify
from skilltests.models import Application, ApplicationEvent, EventAction, TestSession
from skilltests.selectors.applications import waiting_count_forget

# Changes that cost a trip or a missed test if unread: sent even to those who chose
# to read notices on the site only.
ESSENTIAL = frozenset(
    {
        EventAction.BOOKED,
        EventAction.RESCHEDULED,
        EventAction.SESSION_CANCELLED,
        EventAction.RETURNED,
        EventAction.ACCEPTED,
        EventAction.NO_SHOW,
        EventAction.RESULT,
        EventAction.CERTIFIED,
    }
)


def record(
    application: Application,
    action: EventAction,
    *,
    before: str,
    actor_id: int | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Append the change (the application already carries its new state)."""
    waiting_count_forget(application.governorate_code)
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        state_before=before,
        state_after=application.state,
        actor_id=actor_id,
        at=timezone.now(),
        reason=reason,
        data=data or {},
    )


def when(session: TestSession) -> str:
    return timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")


def _place(session: TestSession) -> dict[str, str]:
    centre = session.centre
    return {
        "start": when(session),
        "centre": centre.name,
        "address": centre.address,
    }


def _texts(
    application: Application,
    action: EventAction,
    reason: str,
    session: TestSession | None,
) -> tuple[str, str]:
    """Subject and text of the notice, in the language active (the recipient's)."""
    values = {
        "reference": application.reference,
        "occupation": application.occupation.title,
        "level": application.skill_level.name,
        "reason": reason,
    }
    if session is not None:
        values |= _place(session)
    if application.reapply_after is not None:
        values["reapply"] = application.reapply_after.isoformat()
    values["serial"] = application.certificate_serial
    texts: dict[str, Callable[[], tuple[str, str]]] = {
        EventAction.SUBMITTED: lambda: (
            _("Skill-test application %(reference)s received"),
            _(
                "We received your application for a skill test in %(occupation)s "
                "(%(level)s). The labour directorate will check it and tell you."
            ),
        ),
        EventAction.RESUBMITTED: lambda: (
            _("Skill-test application %(reference)s sent again"),
            _(
                "We received your changed application for a skill test in "
                "%(occupation)s. The labour directorate will check it again."
            ),
        ),
        EventAction.RETURNED: lambda: (
            _("Skill-test application %(reference)s returned for changes"),
            _(
                "The labour directorate returned your application for a skill test "
                "in %(occupation)s: %(reason)s Change it and send it again."
            ),
        ),
        EventAction.ACCEPTED: lambda: (
            _("Skill-test application %(reference)s accepted"),
            _(
                "Your application for a skill test in %(occupation)s (%(level)s) "
                "was accepted. Book a seat in a test session now."
            ),
        ),
        EventAction.WITHDRAWN: lambda: (
            _("Skill-test application %(reference)s withdrawn"),
            _("Your application for a skill test in %(occupation)s is withdrawn."),
        ),
        EventAction.BOOKED: lambda: (
            _("Skill test booked: %(start)s"),
            _(
                "Your skill test in %(occupation)s is on %(start)s (Cairo time) at "
                "%(centre)s, %(address)s. Bring your national ID card and the slip."
            ),
        ),
        EventAction.RESCHEDULED: lambda: (
            _("Skill test moved: %(start)s"),
            _(
                "Your skill test in %(occupation)s is now on %(start)s (Cairo time) "
                "at %(centre)s, %(address)s. The earlier slip no longer counts."
            ),
        ),
        EventAction.BOOKING_CANCELLED: lambda: (
            _("Skill-test appointment cancelled"),
            _(
                "Your appointment for the skill test in %(occupation)s is "
                "cancelled. You may book another seat."
            ),
        ),
        EventAction.SESSION_CANCELLED: lambda: (
            _("Skill-test session cancelled"),
            _(
                "The test session of %(start)s at %(centre)s is cancelled: "
                "%(reason)s Your application stays accepted: book another seat."
            ),
        ),
        **_day_texts(application),
    }
    subject, text = texts[action]()
    return subject % values, text % values


def _day_texts(application: Application) -> dict[str, Callable[[], tuple[str, str]]]:
    """The day of the test and after (item 4)."""
    passed = application.state != "failed"
    return {
        EventAction.CHECKED_IN: lambda: (
            _("Checked in for your skill test"),
            _(
                "You are checked in at %(centre)s for the skill test in "
                "%(occupation)s. Start the theory part on the centre's tablet from "
                "your application's page; the assessor scores the practical part."
            ),
        ),
        EventAction.NO_SHOW: lambda: (
            _("You did not come to your skill test"),
            _(
                "You were recorded absent from the skill test in %(occupation)s on "
                "%(start)s. You may apply again from %(reapply)s."
            ),
        ),
        EventAction.RESULT: (
            (
                lambda: (
                    _("You passed the skill test in %(occupation)s"),
                    _(
                        "You passed the skill test in %(occupation)s (%(level)s). "
                        "Your certificate now waits for the directorate's approval; "
                        "we will tell you when it is issued."
                    ),
                )
            )
            if passed
            else (
                lambda: (
                    _("Skill test result: not passed"),
                    _(
                        "You did not pass the skill test in %(occupation)s "
                        "(%(level)s) this time. You may apply again from "
                        "%(reapply)s."
                    ),
                )
            )
        ),
        EventAction.CERTIFIED: lambda: (
            _("Your skill certificate %(serial)s is issued"),
            _(
                "Your certificate in %(occupation)s (%(level)s) is issued: serial "
                "%(serial)s. Anyone can verify it by its QR code."
            ),
        ),
    }


def tell_applicant(
    application: Application,
    action: EventAction,
    *,
    reason: str = "",
    session: TestSession | None = None,
) -> int:
    """The notice of one change to the applicant (written in this transaction,
    delivered after it commits)."""
    link = reverse("skilltests:application", args=[application.reference])

    def compose() -> Notice:
        subject, text = _texts(application, action, reason, session)
        return Notice(subject=subject, text=text, link=link)

    return notify(
        user_ids=[application.applicant_id],
        kind=f"skilltest_{action}",
        compose=compose,
        essential=action in ESSENTIAL,
    )


def remind_applicant(application: Application, session: TestSession) -> int:
    """The reminder before the day (not a change: no event)."""
    link = reverse("skilltests:slip", args=[application.reference])

    def compose() -> Notice:
        values = {"occupation": application.occupation.title, **_place(session)}
        return Notice(
            subject=_("Reminder: skill test on %(start)s") % values,
            text=_(
                "Your skill test in %(occupation)s is on %(start)s (Cairo time) at "
                "%(centre)s, %(address)s. Bring your national ID card and the slip."
            )
            % values,
            link=link,
        )

    return notify(
        user_ids=[application.applicant_id],
        kind="skilltest_reminder",
        compose=compose,
        essential=True,
    )
