"""Both parts of a checked-in candidate through assessments, the result back on the
application (passed / failed with the day to reapply), the certificate after the
registry's approval, and no-shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.models import Attempt, PracticalAssessment
from lms.kernel.errors import Conflict, Forbidden
from lms.kernel.models import Notification
from registry import services as registry_services
from registry.models import Certificate
from skilltests import services
from skilltests.models import Application, ApplicationEvent, EventAction
from skilltests.services.day import (
    check_in_by_national_id,
    no_show_mark,
    practical_open,
    theory_start,
)
from tests.skilltests.day.conftest import answer_theory, score_practical

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_in(on_the_day, applicant, assessors, exam_and_rubric):
    application, session = on_the_day
    check_in_by_national_id(
        session_id=session.id,
        national_id=applicant.national_id,
        viewer_id=assessors[0].pk,
    )
    return application, session


def _state(application) -> str:
    return Application.objects.get(reference=application.reference).state


def _sit_both(application, session, applicant, assessor, *, pass_: bool = True):
    attempt_id = theory_start(
        reference=application.reference, applicant_id=applicant.pk
    )
    answer_theory(attempt_id, applicant, right=pass_)
    practical_id = practical_open(
        session_id=session.id, reference=application.reference, assessor_id=assessor.pk
    )
    score_practical(practical_id, assessor, best=pass_)
    return attempt_id, practical_id


def test_a_worker_without_a_course_sits_the_theory_part_once_checked_in(
    checked_in, applicant
):
    application, _session = checked_in
    attempt_id = theory_start(
        reference=application.reference, applicant_id=applicant.pk
    )
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.user == applicant and attempt.status == "in_progress"
    # timed by the exam engine on the server
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(seconds=600)
    # a reload on the tablet resumes the same attempt
    again = theory_start(reference=application.reference, applicant_id=applicant.pk)
    assert again == attempt_id


def test_the_exam_engine_still_refuses_the_same_worker_outside_the_test_day(
    checked_in, applicant, exam_and_rubric
):
    from assessments import services as assessments_services

    blueprint, _rubric = exam_and_rubric
    with pytest.raises(Conflict) as refused:
        assessments_services.attempt_start(
            user_id=applicant.pk, blueprint_id=blueprint.pk
        )
    assert refused.value.code == "course_not_completed"


def test_the_theory_part_waits_for_check_in(on_the_day, applicant, exam_and_rubric):
    application, _session = on_the_day
    with pytest.raises(Conflict) as refused:
        theory_start(reference=application.reference, applicant_id=applicant.pk)
    assert refused.value.code == "not_checked_in"


def test_the_theory_part_does_not_start_after_the_session(checked_in, applicant):
    from tests.skilltests.conftest import move_session

    application, session = checked_in
    move_session(session.id, timezone.now() - dt.timedelta(hours=6))
    with pytest.raises(Conflict) as refused:
        theory_start(reference=application.reference, applicant_id=applicant.pk)
    assert refused.value.code == "session_over"


def test_another_person_cannot_start_the_candidates_theory(checked_in, worker):
    from lms.kernel.errors import NotFound

    application, _session = checked_in
    with pytest.raises(NotFound):
        theory_start(reference=application.reference, applicant_id=worker().pk)


def test_the_sessions_assessor_opens_the_practical_part(
    checked_in, applicant, assessors
):
    application, session = checked_in
    practical_id = practical_open(
        session_id=session.id,
        reference=application.reference,
        assessor_id=assessors[1].pk,
    )
    practical = PracticalAssessment.objects.get(pk=practical_id)
    assert practical.trainee == applicant and practical.assessor == assessors[1]
    # opening it again returns the same test
    assert (
        practical_open(
            session_id=session.id,
            reference=application.reference,
            assessor_id=assessors[0].pk,
        )
        == practical_id
    )


def test_scoring_a_candidate_not_on_the_roster_is_refused(
    checked_in, book_today, worker, assessors, publish, make_user
):
    _application, session = checked_in
    other, _ = book_today(
        worker(),
        session=publish(
            starts_at=timezone.now() + dt.timedelta(days=8),
            assessor_ids=[make_user("assessor").pk],
        ),
    )
    with pytest.raises(Conflict) as refused:
        practical_open(
            session_id=session.id,
            reference=other.reference,
            assessor_id=assessors[0].pk,
        )
    assert refused.value.code == "not_on_roster"
    assert not PracticalAssessment.objects.exists()


def test_scoring_before_check_in_is_refused(on_the_day, assessors, exam_and_rubric):
    application, session = on_the_day
    with pytest.raises(Conflict) as refused:
        practical_open(
            session_id=session.id,
            reference=application.reference,
            assessor_id=assessors[0].pk,
        )
    assert refused.value.code == "not_checked_in"


def test_an_assessor_of_another_session_cannot_score(checked_in, make_user):
    application, session = checked_in
    with pytest.raises(Forbidden) as refused:
        practical_open(
            session_id=session.id,
            reference=application.reference,
            assessor_id=make_user("assessor").pk,
        )
    assert refused.value.code == "not_session_assessor"


def test_directorate_staff_follow_but_do_not_score(checked_in, sharqia_staff):
    application, session = checked_in
    with pytest.raises(Forbidden) as refused:
        practical_open(
            session_id=session.id,
            reference=application.reference,
            assessor_id=sharqia_staff.pk,
        )
    assert refused.value.code == "not_session_assessor"


def test_both_parts_passed_make_the_application_passed_with_a_pending_certificate(
    checked_in, applicant, assessors
):
    application, session = checked_in
    _sit_both(application, session, applicant, assessors[0])
    row = Application.objects.get(reference=application.reference)
    assert row.state == "passed" and row.reapply_after is None
    certificate = Certificate.objects.get(pk=row.certificate_id)
    assert certificate.status == "pending"
    assert certificate.national_id == applicant.national_id
    actions = list(
        ApplicationEvent.objects.filter(application=row).values_list(
            "action", flat=True
        )
    )
    assert actions[-3:] == [
        EventAction.CHECKED_IN,
        EventAction.TESTED,
        EventAction.RESULT,
    ]
    assert Notification.objects.filter(user=applicant, kind="skilltest_result").exists()


def test_the_result_waits_for_both_parts(checked_in, applicant):
    application, _session = checked_in
    attempt_id = theory_start(
        reference=application.reference, applicant_id=applicant.pk
    )
    answer_theory(attempt_id, applicant)
    assert _state(application) == "booked"


def test_a_fail_closes_the_application_and_says_when_to_apply_again(
    checked_in, applicant, assessors, submit
):
    application, session = checked_in
    _sit_both(application, session, applicant, assessors[0], pass_=False)
    row = Application.objects.get(reference=application.reference)
    assert row.state == "failed" and row.certificate_id is None
    assert row.reapply_after == timezone.localdate() + dt.timedelta(
        days=settings.SKILLTESTS_FAIL_REAPPLY_DAYS
    )
    notice = Notification.objects.filter(
        user=applicant, kind="skilltest_result"
    ).latest("pk")
    assert row.reapply_after.isoformat() in notice.text
    with pytest.raises(Conflict) as refused:
        submit(applicant)
    assert refused.value.code == "reapply_later"


def test_the_registrys_approval_certifies_the_application(
    checked_in, applicant, assessors, sharqia_staff
):
    application, session = checked_in
    _sit_both(application, session, applicant, assessors[0])
    row = Application.objects.get(reference=application.reference)
    issued = registry_services.certificate_approve(
        certificate_id=row.certificate_id, approver_id=sharqia_staff.pk
    )
    row.refresh_from_db()
    assert row.state == "certified"
    assert row.certificate_serial == issued.serial
    assert Notification.objects.filter(
        user=applicant, kind="skilltest_certified"
    ).exists()


def test_a_course_trainees_result_leaves_applications_alone(
    checked_in, applicant, assessors
):
    from skilltests.services.day_results import result_record

    application, _session = checked_in
    assert (
        result_record(
            user_id=assessors[0].pk,
            occupation_code="7531",
            level_code="skilled",
            passed=True,
            combined_percent=90,
            certificate_id=None,
        )
        is None
    )
    assert _state(application) == "booked"


def test_a_no_show_after_the_start_closes_the_application(
    on_the_day, applicant, assessors, submit
):
    application, session = on_the_day
    no_show_mark(
        session_id=session.id,
        reference=application.reference,
        viewer_id=assessors[0].pk,
    )
    row = Application.objects.get(reference=application.reference)
    assert row.state == "no_show"
    assert row.reapply_after == timezone.localdate() + dt.timedelta(
        days=settings.SKILLTESTS_NO_SHOW_REAPPLY_DAYS
    )
    assert Notification.objects.filter(
        user=applicant, kind="skilltest_no_show"
    ).exists()
    with pytest.raises(Conflict) as refused:
        submit(applicant)
    assert refused.value.code == "reapply_later"


def test_no_show_before_the_start_is_refused(book_today, applicant, assessors):
    application, session = book_today(applicant, minutes=30)
    with pytest.raises(Conflict) as refused:
        no_show_mark(
            session_id=session.id,
            reference=application.reference,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "session_not_started"


def test_a_checked_in_candidate_is_not_a_no_show(checked_in, assessors):
    application, session = checked_in
    with pytest.raises(Conflict) as refused:
        no_show_mark(
            session_id=session.id,
            reference=application.reference,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "already_checked_in"


def test_marking_a_no_show_twice_is_refused(on_the_day, assessors):
    application, session = on_the_day
    kwargs = {"session_id": session.id, "reference": application.reference}
    no_show_mark(**kwargs, viewer_id=assessors[0].pk)
    with pytest.raises(Conflict) as refused:
        no_show_mark(**kwargs, viewer_id=assessors[1].pk)
    assert refused.value.code == "already_no_show"


def test_a_no_show_cannot_be_checked_in(on_the_day, applicant, assessors):
    application, session = on_the_day
    no_show_mark(
        session_id=session.id,
        reference=application.reference,
        viewer_id=assessors[0].pk,
    )
    with pytest.raises(Conflict) as refused:
        check_in_by_national_id(
            session_id=session.id,
            national_id=applicant.national_id,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code == "marked_no_show"


def test_no_show_by_staff_of_another_directorate_is_refused(on_the_day, cairo_staff):
    application, session = on_the_day
    with pytest.raises(Forbidden) as refused:
        no_show_mark(
            session_id=session.id,
            reference=application.reference,
            viewer_id=cairo_staff.pk,
        )
    assert refused.value.code == "other_directorate"


def test_no_show_in_a_cancelled_session_is_refused(
    on_the_day, assessors, sharqia_staff
):
    from tests.skilltests.conftest import move_session

    application, session = on_the_day
    move_session(session.id, timezone.now() + dt.timedelta(days=3))
    services.session_cancel(
        session_id=session.id, staff_id=sharqia_staff.pk, reason="انقطاع الكهرباء"
    )
    move_session(session.id, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        no_show_mark(
            session_id=session.id,
            reference=application.reference,
            viewer_id=assessors[0].pk,
        )
    assert refused.value.code in ("session_cancelled", "not_on_roster")
