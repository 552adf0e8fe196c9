"""The course route (issue #21 item 5): a trainee who completed a course for an
occupation and level asks for its skill test, and gets an application of kind
`course`, accepted at once with no documents (the course is the evidence), on the
same path as every worker's: book a seat, sit the test, the certificate. The rules
of the path hold for both kinds: one open application per occupation, the wait
after a fail, a verified identity (the certificate carries the national ID)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import completed_course_id
from lms.kernel.errors import Conflict, Invalid, NotFound
from registry.selectors import occupation_get, skill_level_get
from skilltests.data import ApplicationData
from skilltests.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    EventAction,
)
from skilltests.selectors import application_get_for_applicant
from skilltests.services.applications import (
    _governorate_for,
    _identity_required,
    _new_reference,
    _open_one,
    _reapply_check,
)
from skilltests.services.history import record, tell_applicant


def _course_for(applicant_id: int, occupation_code: str, level_code: str) -> int:
    user = get_user_model().objects.get(pk=applicant_id)
    course_id = completed_course_id(
        user=user, occupation_code=occupation_code, level_code=level_code
    )
    if course_id is None:
        raise Conflict(
            _(
                "You have not completed a course for this occupation and level: "
                "complete one, or apply as any worker with your experience."
            ),
            code="course_not_completed",
        )
    return course_id


@transaction.atomic
def application_from_course(
    *,
    applicant_id: int,
    occupation_code: str,
    level_code: str,
    governorate_code: str,
) -> ApplicationData:
    """Open the skill test of a completed course's occupation and level: accepted at
    once (events `submitted` then `accepted`, no staff decision to wait for).
    Refusals: Forbidden `identity_not_verified`; Conflict `course_not_completed`,
    `application_open`, `reapply_later`; Invalid `no_centre_in_governorate`,
    `governorate`, `occupation`, `level`."""
    _identity_required(applicant_id)
    try:
        occupation = occupation_get(code=occupation_code)
        level = skill_level_get(code=level_code)
    except NotFound as exc:
        raise Invalid(exc.message, code=exc.code) from None
    course_id = _course_for(applicant_id, occupation.code, level.code)
    governorate = _governorate_for(occupation.code, governorate_code)
    _reapply_check(applicant_id, occupation.id)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                reference=_new_reference(),
                applicant_id=applicant_id,
                kind=ApplicationKind.COURSE,
                course_id=course_id,
                occupation_id=occupation.id,
                skill_level_id=level.id,
                governorate_code=governorate,
                experience_years=0,
                experience_summary="",
            )
    except IntegrityError:
        raise _open_one(applicant_id, occupation.id) from None
    record(application, EventAction.SUBMITTED, before="", actor_id=applicant_id)
    application.state = ApplicationState.ACCEPTED
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_at", "updated_at"])
    record(
        application,
        EventAction.ACCEPTED,
        before=ApplicationState.SUBMITTED,
        actor_id=None,
        data={"course": course_id},
    )
    tell_applicant(application, EventAction.ACCEPTED)
    return application_get_for_applicant(
        reference=application.reference, applicant_id=applicant_id
    )
