"""Applications: a worker with a verified identity applies; the directorate of the
governorate where they want to sit the test accepts it or returns it with a reason;
the applicant changes and resubmits it, or withdraws it. Every change is one event
and one notice, in the same transaction (services/history.py)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.national_id import governorates
from lms.accounts.selectors import national_id_verified_for, staff_scope
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.formatting import joined
from registry.selectors import occupation_get, skill_level_get
from skilltests.data import ApplicationData
from skilltests.models import (
    MAX_EXPERIENCE_YEARS,
    OPEN_STATES,
    Application,
    ApplicationState,
    EventAction,
)
from skilltests.selectors import (
    application_get_for_applicant,
    application_get_for_staff,
    governorates_testing,
)
from skilltests.selectors.applications import scope_check
from skilltests.selectors.build import governorate_name
from skilltests.services.bookings import booking_release
from skilltests.services.documents import (
    Upload,
    documents_attach,
    documents_count_check,
    documents_remove,
)
from skilltests.services.history import record, tell_applicant

REFERENCE_SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
REFERENCE_LENGTH = 8
MIN_REASON = 10
ABROAD = "88"


def _new_reference() -> str:
    while True:
        reference = "".join(
            secrets.choice(REFERENCE_SYMBOLS) for _ in range(REFERENCE_LENGTH)
        )
        if not Application.objects.filter(reference=reference).exists():
            return reference


def _identity_required(applicant_id: int) -> None:
    if national_id_verified_for(user_id=applicant_id) is None:
        raise Forbidden(
            _(
                "Your national ID is not verified yet: verify it on your identity "
                "page (at a labour directorate with your card, or online where "
                "offered), then apply."
            ),
            code="identity_not_verified",
        )


def _experience(years: int, summary: str) -> str:
    if not 0 <= years <= MAX_EXPERIENCE_YEARS:
        raise Invalid(
            _("Years of experience must be between 0 and %(max)s.")
            % {"max": MAX_EXPERIENCE_YEARS},
            code="experience_years",
            fields={"experience_years": [_("Enter a number from 0 to 60.")]},
        )
    summary = (summary or "").strip()
    if not summary:
        raise Invalid(
            _("Say where you learnt and practised the trade."),
            code="experience_missing",
            fields={"experience_summary": [_("This field is required.")]},
        )
    return summary[:2000]


def _governorate_for(occupation_code: str, governorate_code: str) -> str:
    """The governorate, if it has a centre testing the occupation; else a refusal
    that names those that do."""
    if governorate_code not in governorates() or governorate_code == ABROAD:
        raise Invalid(_("Choose a governorate."), code="governorate")
    testing = governorates_testing(occupation_code=occupation_code)
    if governorate_code not in testing:
        names = joined(governorate_name(code) for code in testing)
        raise Invalid(
            _(
                "No test centre in %(governorate)s tests this occupation yet. "
                "Governorates that do: %(names)s."
            )
            % {
                "governorate": governorate_name(governorate_code),
                "names": names or "—",
            },
            code="no_centre_in_governorate",
            fields={"governorate_code": [_("No centre here tests this occupation.")]},
        )
    return governorate_code


def _open_one(applicant_id: int, occupation_id: int) -> Conflict:
    existing = Application.objects.filter(
        applicant_id=applicant_id, occupation_id=occupation_id
    ).filter(state__in=OPEN_STATES)
    found = existing.values_list("reference", flat=True).first() or ""
    return Conflict(
        _(
            "You already have an open application for this occupation (%(reference)s):"
            " follow it, or withdraw it before applying again."
        )
        % {"reference": found},
        code="application_open",
    )


@transaction.atomic
def application_submit(
    *,
    applicant_id: int,
    occupation_code: str,
    level_code: str,
    governorate_code: str,
    experience_years: int,
    experience_summary: str,
    documents: Sequence[Upload],
) -> ApplicationData:
    """Apply for a test. Refusals: Forbidden `identity_not_verified`; Conflict
    `application_open` (one open application per occupation) or `reapply_later`;
    Invalid `no_centre_in_governorate`, `experience_*`, `documents_missing`,
    `too_many_documents`, `document_type`, `document_too_large`."""
    _identity_required(applicant_id)
    try:
        occupation = occupation_get(code=occupation_code)
        level = skill_level_get(code=level_code)
    except NotFound as exc:
        raise Invalid(exc.message, code=exc.code) from None
    summary = _experience(experience_years, experience_summary)
    governorate = _governorate_for(occupation.code, governorate_code)
    documents_count_check(len(documents))
    _reapply_check(applicant_id, occupation.id)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                reference=_new_reference(),
                applicant_id=applicant_id,
                occupation_id=occupation.id,
                skill_level_id=level.id,
                governorate_code=governorate,
                experience_years=experience_years,
                experience_summary=summary,
            )
    except IntegrityError:
        raise _open_one(applicant_id, occupation.id) from None
    documents_attach(application, documents)
    record(application, EventAction.SUBMITTED, before="", actor_id=applicant_id)
    tell_applicant(application, EventAction.SUBMITTED)
    return application_get_for_applicant(
        reference=application.reference, applicant_id=applicant_id
    )


def _reapply_check(applicant_id: int, occupation_id: int) -> None:
    """A fail or a no-show (item 4) may set a first day to apply again."""
    today = timezone.localdate()
    later = (
        Application.objects.filter(
            applicant_id=applicant_id,
            occupation_id=occupation_id,
            reapply_after__gt=today,
        )
        .order_by("-reapply_after")
        .values_list("reapply_after", flat=True)
        .first()
    )
    if later is not None:
        raise Conflict(
            _("You may apply again for this occupation from %(day)s.")
            % {"day": later.isoformat()},
            code="reapply_later",
        )


def _own_locked(reference: str, applicant_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .filter(reference=reference.upper(), applicant_id=applicant_id)
        .first()
    )
    if application is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    return application


@transaction.atomic
def application_resubmit(
    *,
    reference: str,
    applicant_id: int,
    governorate_code: str,
    experience_years: int,
    experience_summary: str,
    documents_added: Sequence[Upload] = (),
    documents_removed: Sequence[int] = (),
) -> ApplicationData:
    """Change a returned application and send it again (Conflict `not_returned`
    in any other state; the same checks as a new one)."""
    application = _own_locked(reference, applicant_id)
    if application.state != ApplicationState.RETURNED:
        raise Conflict(
            _("Only an application returned for changes can be changed."),
            code="not_returned",
        )
    _identity_required(applicant_id)
    summary = _experience(experience_years, experience_summary)
    governorate = _governorate_for(application.occupation.code, governorate_code)
    removed = set(
        application.documents.filter(pk__in=documents_removed).values_list(
            "pk", flat=True
        )
    )
    kept = application.documents.count() - len(removed)
    documents_count_check(kept + len(documents_added))
    documents_remove(application, sorted(removed))
    documents_attach(application, documents_added)
    application.governorate_code = governorate
    application.experience_years = experience_years
    application.experience_summary = summary
    application.state = ApplicationState.SUBMITTED
    application.return_reason = ""
    application.submitted_at = timezone.now()
    application.save()
    record(
        application,
        EventAction.RESUBMITTED,
        before=ApplicationState.RETURNED,
        actor_id=applicant_id,
    )
    tell_applicant(application, EventAction.RESUBMITTED)
    return application_get_for_applicant(reference=reference, applicant_id=applicant_id)


WITHDRAWABLE = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.ACCEPTED,
    ApplicationState.BOOKED,
)


@transaction.atomic
def application_withdraw(*, reference: str, applicant_id: int) -> ApplicationData:
    """Withdraw before the test; a booked seat is given back (only while the
    appointment may still be changed: Conflict `change_closed`)."""
    application = _own_locked(reference, applicant_id)
    if application.state not in WITHDRAWABLE:
        raise Conflict(
            _("This application can no longer be withdrawn."), code="not_withdrawable"
        )
    before = application.state
    data = {}
    if before == ApplicationState.BOOKED:
        data["session"] = booking_release(application)
    application.state = ApplicationState.WITHDRAWN
    application.save(update_fields=["state", "updated_at"])
    record(
        application,
        EventAction.WITHDRAWN,
        before=before,
        actor_id=applicant_id,
        data=data,
    )
    tell_applicant(application, EventAction.WITHDRAWN)
    return application_get_for_applicant(reference=reference, applicant_id=applicant_id)


def _for_decision(reference: str, staff_id: int) -> Application:
    """The submitted application, locked, if this staff member may decide on it."""
    scope = staff_scope(user_id=staff_id)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("occupation", "skill_level")
        .filter(reference=reference.upper())
        .first()
    )
    if application is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    scope_check(scope, application.governorate_code)
    if application.applicant_id == staff_id:
        raise Forbidden(
            _("You cannot decide on your own application: a colleague must."),
            code="own_application",
        )
    if application.state != ApplicationState.SUBMITTED:
        raise Conflict(
            _("This application is not waiting for a decision (someone decided it)."),
            code="not_submitted",
        )
    return application


@transaction.atomic
def application_accept(*, reference: str, staff_id: int) -> ApplicationData:
    """Accept: the applicant may book a seat. Refusals: Forbidden `not_staff`,
    `no_directorate`, `other_directorate`, `own_application`; Conflict
    `not_submitted`, `identity_not_verified` (the claim was undone meanwhile)."""
    application = _for_decision(reference, staff_id)
    if national_id_verified_for(user_id=application.applicant_id) is None:
        raise Conflict(
            _("The applicant's national ID is no longer verified: return it."),
            code="identity_not_verified",
        )
    application.state = ApplicationState.ACCEPTED
    application.decided_by_id = staff_id
    application.decided_at = timezone.now()
    application.save()
    record(
        application,
        EventAction.ACCEPTED,
        before=ApplicationState.SUBMITTED,
        actor_id=staff_id,
    )
    tell_applicant(application, EventAction.ACCEPTED)
    return application_get_for_staff(reference=reference, staff_id=staff_id)


@transaction.atomic
def application_return(
    *, reference: str, staff_id: int, reason: str
) -> ApplicationData:
    """Return for changes with a reason the applicant can act on (Invalid
    `reason_required` when shorter than ten letters); the other refusals as
    `application_accept`."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Invalid(
            _("Say what the applicant must change (at least ten letters)."),
            code="reason_required",
            fields={"reason": [_("Say what to change.")]},
        )
    application = _for_decision(reference, staff_id)
    application.state = ApplicationState.RETURNED
    application.return_reason = reason[:2000]
    application.decided_by_id = staff_id
    application.decided_at = timezone.now()
    application.save()
    record(
        application,
        EventAction.RETURNED,
        before=ApplicationState.SUBMITTED,
        actor_id=staff_id,
        reason=application.return_reason,
    )
    tell_applicant(application, EventAction.RETURNED, reason=application.return_reason)
    return application_get_for_staff(reference=reference, staff_id=staff_id)
