"""The tracked path (issue #21 item 5): each step is reached by the application's
state and dated by the first event of its kind; the applicant's page shows it as an
ordered list with `aria-current`, in words as well as marks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from skilltests import selectors, services
from skilltests.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db

KEYS = ["submitted", "accepted", "booked", "tested", "result", "certificate"]


def path_of(user, reference):
    found = selectors.application_get_for_applicant(
        reference=reference, applicant_id=user.pk
    )
    return selectors.application_path(application=found)


def first_at(reference: str, action: str) -> dt.datetime:
    return (
        ApplicationEvent.objects.filter(application__reference=reference, action=action)
        .order_by("at", "pk")
        .values_list("at", flat=True)
        .first()
    )


def later_step(reference: str, action: str, state: str, *, days: int) -> None:
    """What the day-of-test work (item 4) writes: the state and its event."""
    application = Application.objects.get(reference=reference)
    before = application.state
    Application.objects.filter(pk=application.pk).update(state=state)
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        state_before=before,
        state_after=state,
        at=timezone.now() + dt.timedelta(days=days),
    )


def test_submitted_application_stands_at_the_first_step(applicant, submit):
    application = submit(applicant)
    path = path_of(applicant, application.reference)
    assert [s.key for s in path.steps] == KEYS
    assert [s.done for s in path.steps] == [True] + [False] * 5
    assert [s.current for s in path.steps] == [True] + [False] * 5
    assert path.steps[0].at == first_at(application.reference, "submitted")
    assert all(s.at is None for s in path.steps[1:])


def test_booked_application_has_three_dated_steps(applicant, booked):
    application, _session = booked(applicant)
    path = path_of(applicant, application.reference)
    assert [s.done for s in path.steps] == [True, True, True, False, False, False]
    assert path.steps[2].current
    for step, action in zip(path.steps[:3], KEYS[:3], strict=True):
        assert step.at == first_at(application.reference, action)


def test_a_returned_application_is_at_the_first_step_with_the_reason(
    applicant, submit, sharqia_staff
):
    application = submit(applicant)
    services.application_return(
        reference=application.reference,
        staff_id=sharqia_staff.pk,
        reason="أرفق خطاب الخبرة مختوماً من صاحب العمل",
    )
    path = path_of(applicant, application.reference)
    assert path.steps[0].current and path.steps[0].note
    assert not path.steps[1].done


def test_first_event_of_each_kind_dates_the_step_after_resubmission(
    applicant, submit, sharqia_staff
):
    application = submit(applicant)
    services.application_return(
        reference=application.reference,
        staff_id=sharqia_staff.pk,
        reason="أرفق خطاب الخبرة مختوماً من صاحب العمل",
    )
    services.application_resubmit(
        reference=application.reference,
        applicant_id=applicant.pk,
        governorate_code="13",
        experience_years=6,
        experience_summary="ترزي",
    )
    services.application_accept(
        reference=application.reference, staff_id=sharqia_staff.pk
    )
    path = path_of(applicant, application.reference)
    assert path.steps[0].at == first_at(application.reference, "submitted")
    assert path.steps[1].at == first_at(application.reference, "accepted")
    assert path.steps[1].current


def test_a_cancelled_appointment_takes_the_booked_step_back(applicant, booked):
    application, _session = booked(applicant)
    services.booking_cancel(reference=application.reference, applicant_id=applicant.pk)
    path = path_of(applicant, application.reference)
    assert path.steps[1].current
    assert not path.steps[2].done and path.steps[2].at is None


def test_a_withdrawn_application_shows_how_far_it_went_and_why_it_stopped(
    applicant, booked
):
    application, _session = booked(applicant)
    services.application_withdraw(
        reference=application.reference, applicant_id=applicant.pk
    )
    path = path_of(applicant, application.reference)
    assert [s.done for s in path.steps] == [True, True, True, False, False, False]
    assert not any(s.current for s in path.steps)
    assert path.stopped


def test_the_steps_of_the_day_and_the_certificate_are_dated_by_their_events(
    applicant, booked
):
    application, _session = booked(applicant)
    ref = application.reference
    later_step(ref, "tested", "tested", days=8)
    later_step(ref, "result", "passed", days=9)
    later_step(ref, "certified", "certified", days=15)
    path = path_of(applicant, ref)
    assert all(s.done for s in path.steps)
    assert path.steps[5].current
    assert path.steps[3].at == first_at(ref, "tested")
    assert path.steps[5].at == first_at(ref, "certified")
    assert path.steps[4].note  # "Passed"


def test_a_fail_is_said_on_the_result_step(applicant, booked):
    application, _session = booked(applicant)
    later_step(application.reference, "tested", "tested", days=8)
    later_step(application.reference, "result", "failed", days=9)
    path = path_of(applicant, application.reference)
    assert path.steps[4].done and path.steps[4].current
    assert path.steps[4].note != path_of_passed_note()
    assert not path.steps[5].done


def path_of_passed_note() -> str:
    from django.utils.translation import gettext

    return gettext("Passed")


def test_a_no_show_stops_the_path_after_the_booking(applicant, booked):
    application, _session = booked(applicant)
    later_step(application.reference, "no_show", "no_show", days=8)
    path = path_of(applicant, application.reference)
    assert [s.done for s in path.steps] == [True, True, True, False, False, False]
    assert path.stopped and not any(s.current for s in path.steps)


def test_page_shows_the_path_as_an_ordered_list_with_aria_current(
    client, applicant, booked
):
    application, _session = booked(applicant)
    client.force_login(applicant)
    html = client.get(
        reverse("skilltests:application", args=[application.reference]),
        HTTP_ACCEPT_LANGUAGE="ar",
    ).content.decode()
    steps = re.search(r'<ol class="path-steps">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li[^>]*>", steps)
    assert len(items) == 6
    assert [("aria-current" in i) for i in items] == [False, False, True] + [False] * 3
    booked_at = timezone.localtime(first_at(application.reference, "booked"))
    assert booked_at.strftime("%Y-%m-%d") in steps
    assert "ليس بعد" in steps  # "Not yet", in words, not only a colour


def test_another_persons_path_is_not_found(client, applicant, booked, worker):
    application, _session = booked(applicant)
    client.force_login(worker())
    response = client.get(
        reverse("skilltests:application", args=[application.reference])
    )
    assert response.status_code == 404
