"""The course route (issue #21 item 5): a trainee who completed a course asks for
its skill test and gets an application of kind `course`, accepted at once with no
documents, on the same path and under the same rules as every worker's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from lms.kernel.errors import Conflict, Forbidden, Invalid
from registry.models import Occupation, SkillLevel
from skilltests import selectors, services
from skilltests.models import Application, ApplicationEvent
from skilltests.wagtail_hooks import skilltests_course_section
from tests.skilltests.conftest import SHARQIA

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    """A tailoring course (7531, skilled) in the catalogue."""
    from courses.models import CatalogPage, CoursePage, TradePage

    occupation = Occupation.objects.get(code="7531")
    level = SkillLevel.objects.get(code="skilled")
    home = Page.objects.get(depth=2).specific
    catalog = home.add_child(instance=CatalogPage(title="الدورات", slug="courses-st"))
    trade = catalog.add_child(
        instance=TradePage(
            title="الخياطة",
            slug="tailoring-st",
            trade="tailoring",
            occupation=occupation,
        )
    )
    return trade.add_child(
        instance=CoursePage(
            title="أساسيات الخياطة",
            slug="sewing-st",
            occupation=occupation,
            skill_level=level,
        )
    )


@pytest.fixture
def completed(course):
    from courses.models import CourseCompletion

    def complete(user):
        CourseCompletion.objects.create(
            user=user, course=course, completed_at=timezone.now()
        )
        return user

    return complete


def ask(user, **overrides):
    values = {
        "applicant_id": user.pk,
        "occupation_code": "7531",
        "level_code": "skilled",
        "governorate_code": SHARQIA,
    }
    values.update(overrides)
    return services.application_from_course(**values)


def test_a_completed_course_opens_an_accepted_application_without_documents(
    applicant, completed, course
):
    completed(applicant)
    found = ask(applicant)
    assert found.state == "accepted" and found.kind == "course"
    assert found.documents == ()
    row = Application.objects.get(reference=found.reference)
    assert row.course_id == course.pk
    assert list(
        ApplicationEvent.objects.filter(application=row).values_list(
            "action", "state_after"
        )
    ) == [("submitted", "submitted"), ("accepted", "accepted")]
    path = selectors.application_path(application=found)
    assert [s.done for s in path.steps[:3]] == [True, True, False]
    assert path.steps[1].current and path.steps[1].note


def test_the_course_application_books_a_seat_like_any_other(
    applicant, completed, publish
):
    completed(applicant)
    found = ask(applicant)
    session = publish()
    booked = services.booking_create(
        reference=found.reference, applicant_id=applicant.pk, session_id=session.id
    )
    assert booked.state == "booked" and booked.booking.session.id == session.id


def test_without_a_completed_course_it_is_refused(applicant, course):
    with pytest.raises(Conflict) as exc:
        ask(applicant)
    assert exc.value.code == "course_not_completed"
    assert not Application.objects.exists()


def test_a_course_of_another_level_does_not_open_this_one(applicant, completed):
    completed(applicant)
    with pytest.raises(Conflict) as exc:
        ask(applicant, level_code="technician")
    assert exc.value.code == "course_not_completed"


def test_an_unverified_identity_is_refused(worker, completed):
    person = completed(worker(verified=False))
    with pytest.raises(Forbidden) as exc:
        ask(person)
    assert exc.value.code == "identity_not_verified"


def test_a_governorate_without_a_centre_for_it_is_refused(applicant, completed):
    from skilltests.selectors import governorates_testing

    completed(applicant)
    without = next(
        c
        for c in ("31", "32", "33", "34", "35", "04", "27", "29")
        if c not in governorates_testing(occupation_code="7531")
    )
    with pytest.raises(Invalid) as exc:
        ask(applicant, governorate_code=without)
    assert exc.value.code == "no_centre_in_governorate"


def test_one_open_application_per_occupation_holds_after_a_direct_one(
    applicant, completed, submit
):
    direct = submit(applicant)
    completed(applicant)
    with pytest.raises(Conflict) as exc:
        ask(applicant)
    assert exc.value.code == "application_open"
    assert direct.reference in exc.value.message


def test_one_open_application_per_occupation_holds_before_a_direct_one(
    applicant, completed, submit
):
    completed(applicant)
    ask(applicant)
    with pytest.raises(Conflict) as exc:
        submit(applicant)
    assert exc.value.code == "application_open"


def test_the_wait_after_a_fail_holds_for_the_course_route(applicant, completed):
    completed(applicant)
    first = ask(applicant)
    Application.objects.filter(reference=first.reference).update(
        state="failed", reapply_after=timezone.localdate() + dt.timedelta(days=30)
    )
    with pytest.raises(Conflict) as exc:
        ask(applicant)
    assert exc.value.code == "reapply_later"


def test_offers_list_completed_courses_without_an_open_application(
    applicant, completed, course
):
    assert selectors.course_offers_for(applicant_id=applicant.pk) == []
    completed(applicant)
    offers = selectors.course_offers_for(applicant_id=applicant.pk)
    assert [(o.course_id, o.occupation_code, o.level_code) for o in offers] == [
        (course.pk, "7531", "skilled")
    ]
    ask(applicant)
    assert selectors.course_offers_for(applicant_id=applicant.pk) == []


def test_page_opens_the_course_route_and_goes_to_the_application(
    client, applicant, completed
):
    completed(applicant)
    client.force_login(applicant)
    url = reverse("skilltests:course_route")
    page = client.get(url)
    assert page.status_code == 200 and "7531" in page.content.decode()
    response = client.post(
        url,
        {"occupation_code": "7531", "level_code": "skilled", "governorate_code": "13"},
    )
    created = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "skilltests:application", args=[created.reference]
    )
    assert created.kind == "course"


def test_page_says_why_when_refused(client, applicant, course):
    client.force_login(applicant)
    response = client.post(
        reverse("skilltests:course_route"),
        {"occupation_code": "7531", "level_code": "skilled", "governorate_code": "13"},
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_page_refuses_an_unverified_identity(client, worker, completed):
    person = completed(worker(verified=False))
    client.force_login(person)
    response = client.post(
        reverse("skilltests:course_route"),
        {"occupation_code": "7531", "level_code": "skilled", "governorate_code": "13"},
    )
    assert response.status_code == 403


def test_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("skilltests:course_route"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_home_page_offers_the_test_of_a_completed_course(
    client, applicant, completed
):
    completed(applicant)
    client.force_login(applicant)
    html = client.get(reverse("skilltests:home")).content.decode()
    assert reverse("skilltests:course_route") in html


def test_the_course_page_section_offers_the_test_after_completion(
    applicant, completed, course, worker
):
    request = RequestFactory().get("/")
    request.user = applicant
    assert skilltests_course_section(request=request, course_id=course.pk) is None
    completed(applicant)
    section = skilltests_course_section(request=request, course_id=course.pk)
    assert section.context["offer"].course_id == course.pk
    ask(applicant)
    assert skilltests_course_section(request=request, course_id=course.pk) is None
