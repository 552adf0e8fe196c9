"""The day's pages: the assessors' sessions and roster, check-in by the scanned slip
or the typed national ID (POSTed, never in an address), the refusals each with its
status and reason, no-shows, the practical part, the candidate's theory part."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skilltests.models import Booking, BookingStatus
from tests.skilltests.day.conftest import answer_theory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(on_the_day, exam_and_rubric):
    application, session = on_the_day
    return {
        "application": application,
        "session": session,
        "roster": reverse("skilltests:day_roster", args=[session.id]),
        "check_in": reverse("skilltests:day_check_in", args=[session.id]),
        "token": Booking.objects.get(
            application__reference=application.reference
        ).token,
    }


def _status(day) -> str:
    return Booking.objects.get(token=day["token"]).status


def test_the_assessors_workplace_lists_todays_session(client, day, assessors):
    client.force_login(assessors[0])
    page = client.get(reverse("skilltests:day_sessions"))
    assert page.status_code == 200
    assert f'data-session="{day["session"].id}"' in page.content.decode()
    home = client.get("/")
    assert reverse("skilltests:day_sessions") in home.content.decode()


def test_the_roster_lists_the_candidate_for_the_sessions_assessor(
    client, day, assessors, applicant
):
    client.force_login(assessors[0])
    page = client.get(day["roster"])
    assert page.status_code == 200
    body = page.content.decode()
    assert day["application"].reference in body
    assert applicant.full_name_ar in body
    # an assessor sees the national ID masked
    assert applicant.national_id not in body


@pytest.mark.parametrize("who", ["other_assessor", "trainee", "cairo_staff"])
def test_the_roster_refuses_who_does_not_run_the_session(
    client, day, who, make_user, cairo_staff
):
    viewer = {
        "other_assessor": lambda: make_user("assessor"),
        "trainee": lambda: make_user("trainee"),
        "cairo_staff": lambda: cairo_staff,
    }[who]()
    client.force_login(viewer)
    assert client.get(day["roster"]).status_code == 403
    response = client.post(day["check_in"], {"slip": day["token"]})
    assert response.status_code == 403
    assert _status(day) == BookingStatus.BOOKED


def test_anonymous_visitors_are_sent_to_sign_in(client, day):
    assert client.get(day["roster"]).status_code == 302
    assert client.post(day["check_in"], {"slip": day["token"]}).status_code == 302


def test_check_in_by_the_scanned_slip_address(client, day, assessors):
    client.force_login(assessors[0])
    url = f"http://testserver/skill-tests/slips/{day['token']}/"
    response = client.post(day["check_in"], {"slip": url})
    assert response.status_code == 302
    assert _status(day) == BookingStatus.CHECKED_IN
    page = client.get(day["roster"]).content.decode()
    assert 'data-status="checked_in"' in page


def test_check_in_by_national_id_is_posted_never_in_the_address(
    client, day, assessors, applicant
):
    client.force_login(assessors[0])
    response = client.post(day["check_in"], {"national_id": applicant.national_id})
    assert response.status_code == 302
    assert applicant.national_id not in response["Location"]
    assert _status(day) == BookingStatus.CHECKED_IN
    assert client.get(day["check_in"]).status_code == 405


def test_a_second_check_in_shows_the_reason(client, day, assessors):
    client.force_login(assessors[0])
    client.post(day["check_in"], {"slip": day["token"]})
    again = client.post(day["check_in"], {"slip": day["token"]})
    assert again.status_code == 409
    assert 'id="problem"' in again.content.decode()


def test_a_stranger_national_id_is_refused_with_its_reason(
    client, day, assessors, worker
):
    client.force_login(assessors[0])
    response = client.post(day["check_in"], {"national_id": worker().national_id})
    assert response.status_code == 409
    assert _status(day) == BookingStatus.BOOKED


def test_a_bad_national_id_is_a_400(client, day, assessors):
    client.force_login(assessors[0])
    assert client.post(day["check_in"], {"national_id": "123"}).status_code == 400


def test_the_scanned_slip_page_offers_check_in_to_the_assessor(client, day, assessors):
    client.force_login(assessors[0])
    page = client.get(reverse("skilltests:slip_check", args=[day["token"]]))
    assert page.status_code == 200
    assert day["check_in"] in page.content.decode()


def test_marking_a_no_show_from_the_roster(client, day, assessors):
    client.force_login(assessors[0])
    response = client.post(
        reverse("skilltests:day_no_show", args=[day["session"].id]),
        {"reference": day["application"].reference},
    )
    assert response.status_code == 302
    assert _status(day) == BookingStatus.NO_SHOW


def test_the_assessor_opens_the_practical_sheet(client, day, assessors):
    client.force_login(assessors[0])
    client.post(day["check_in"], {"slip": day["token"]})
    response = client.post(
        reverse("skilltests:day_practical", args=[day["session"].id]),
        {"reference": day["application"].reference},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/practical/")
    assert client.get(response["Location"]).status_code == 200


def test_the_candidate_starts_and_resumes_the_theory_on_the_tablet(
    client, day, assessors, applicant
):
    staff = client.__class__()
    staff.force_login(assessors[0])
    staff.post(day["check_in"], {"slip": day["token"]})
    client.force_login(applicant)
    page = client.get(
        reverse("skilltests:application", args=[day["application"].reference])
    )
    assert reverse("skilltests:theory", args=[day["application"].reference]) in (
        page.content.decode()
    )
    started = client.post(
        reverse("skilltests:theory", args=[day["application"].reference])
    )
    assert started.status_code == 302 and "/exams/attempts/" in started["Location"]
    assert client.get(started["Location"]).status_code == 200
    resumed = client.post(
        reverse("skilltests:theory", args=[day["application"].reference])
    )
    assert resumed["Location"] == started["Location"]
    attempt_id = int(started["Location"].split("/")[3])
    answer_theory(attempt_id, applicant)
    page = client.get(
        reverse("skilltests:application", args=[day["application"].reference])
    )
    assert 'data-part="theory"' in page.content.decode()


def test_the_theory_before_check_in_says_why(client, day, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("skilltests:theory", args=[day["application"].reference])
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("skilltests:application", args=[day["application"].reference])
    )
