"""The pages: every endpoint refuses who may not use it (by role and directorate),
forms accept Eastern-Arabic digits and say what is wrong, the national ID stays out
of URLs and is masked where a role does not need it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from skilltests.models import Application, ApplicationDocument, Booking
from tests.skilltests.conftest import SHARQIA, pdf_file, png_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(booked, applicant, submit, worker):
    """A booked application and a submitted one, both of Sharqia."""
    application, session = booked(applicant)
    waiting = submit(worker())
    return {
        "booked": application,
        "session": session,
        "waiting": waiting,
        "document": ApplicationDocument.objects.filter(
            application__reference=application.reference
        ).first(),
        "token": Booking.objects.get(
            application__reference=application.reference
        ).token,
    }


def applicant_urls(case) -> list[tuple[str, str]]:
    ref = case["booked"].reference
    return [
        ("get", reverse("skilltests:application", args=[ref])),
        ("get", reverse("skilltests:application_edit", args=[ref])),
        ("get", reverse("skilltests:slip", args=[ref])),
        ("get", reverse("skilltests:slip_pdf", args=[ref])),
        ("get", reverse("skilltests:document", args=[case["document"].pk])),
        ("post", reverse("skilltests:withdraw", args=[ref])),
        ("post", reverse("skilltests:book", args=[ref])),
        ("post", reverse("skilltests:move", args=[ref])),
        ("post", reverse("skilltests:cancel_appointment", args=[ref])),
    ]


def staff_urls(case) -> list[tuple[str, str]]:
    ref = case["waiting"].reference
    session = case["session"].id
    return [
        ("get", reverse("skilltests:staff_application", args=[ref])),
        ("post", reverse("skilltests:staff_accept", args=[ref])),
        ("post", reverse("skilltests:staff_return", args=[ref])),
        ("get", reverse("skilltests:staff_session", args=[session])),
        ("post", reverse("skilltests:staff_session_cancel", args=[session])),
    ]


STAFF_LISTS = [
    "skilltests:staff_applications",
    "skilltests:staff_sessions",
    "skilltests:staff_session_new",
]


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    urls = [
        *applicant_urls(case),
        *staff_urls(case),
        ("get", reverse("skilltests:home")),
        ("get", reverse("skilltests:apply")),
        ("get", reverse("skilltests:slip_check", args=[case["token"]])),
        *(("get", reverse(name)) for name in STAFF_LISTS),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


def test_another_person_finds_none_of_an_applicants_pages(client, case, worker):
    client.force_login(worker())
    for method, url in applicant_urls(case):
        assert getattr(client, method)(url).status_code == 404, url
    assert Application.objects.get(reference=case["booked"].reference).state == "booked"


def test_non_staff_and_unplaced_staff_are_refused_every_staff_page_with_the_reason(
    client, case, applicant, make_user
):
    unplaced = make_user("ministry_staff", is_staff=True)
    for person, code in ((applicant, "not_staff"), (unplaced, "no_directorate")):
        client.force_login(person)
        for method, url in [
            *staff_urls(case),
            *(("get", reverse(n)) for n in STAFF_LISTS),
        ]:
            response = getattr(client, method)(url)
            assert response.status_code == 403, url
            assert response.context["code"] == code
            assert response.context["message"] in response.content.decode()


def test_another_directorates_staff_are_refused_and_see_nothing_in_their_lists(
    client, case, cairo_staff
):
    client.force_login(cairo_staff)
    for method, url in staff_urls(case):
        assert getattr(client, method)(url).status_code == 403, url
    for name in ("skilltests:staff_applications", "skilltests:staff_sessions"):
        page = client.get(reverse(name)).content.decode()
        assert case["waiting"].reference not in page
    page = client.get(
        reverse("skilltests:staff_applications") + f"?governorate={SHARQIA}"
    )
    assert page.status_code == 403
    assert (
        Application.objects.get(reference=case["waiting"].reference).state
        == "submitted"
    )


def test_the_directorates_staff_check_and_accept(client, case, sharqia_staff):
    client.force_login(sharqia_staff)
    ref = case["waiting"].reference
    listed = client.get(reverse("skilltests:staff_applications")).content.decode()
    assert ref in listed
    page = client.get(reverse("skilltests:staff_application", args=[ref]))
    assert page.status_code == 200
    assert reverse("skilltests:document", args=[_doc(ref).pk]) in page.content.decode()
    assert (
        client.get(reverse("skilltests:document", args=[_doc(ref).pk])).status_code
        == 200
    )
    response = client.post(reverse("skilltests:staff_accept", args=[ref]))
    assert response.status_code == 302
    assert Application.objects.get(reference=ref).state == "accepted"


def _doc(reference: str) -> ApplicationDocument:
    return ApplicationDocument.objects.filter(application__reference=reference).first()


def test_returning_without_a_reason_says_so_on_the_form(client, case, sharqia_staff):
    client.force_login(sharqia_staff)
    ref = case["waiting"].reference
    response = client.post(
        reverse("skilltests:staff_return", args=[ref]), {"reason": ""}
    )
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"]
    assert Application.objects.get(reference=ref).state == "submitted"


def test_staff_of_another_directorate_cannot_open_its_documents(
    client, case, cairo_staff
):
    client.force_login(cairo_staff)
    url = reverse("skilltests:document", args=[_doc(case["waiting"].reference).pk])
    assert client.get(url).status_code == 404


def test_the_slip_check_answers_only_those_who_run_the_session(
    client, case, applicant, assessors, make_user, sharqia_staff, cairo_staff
):
    url = reverse("skilltests:slip_check", args=[case["token"]])
    for person in (applicant, make_user("assessor"), cairo_staff):
        client.force_login(person)
        assert client.get(url).status_code == 404
    for person in (assessors[0], sharqia_staff):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert case["booked"].reference in response.content.decode()
    assert (
        client.get(reverse("skilltests:slip_check", args=["nope"])).status_code == 404
    )


def test_the_assessor_sees_a_masked_national_id_and_staff_the_whole(
    client, case, applicant, assessors, sharqia_staff
):
    url = reverse("skilltests:slip_check", args=[case["token"]])
    client.force_login(assessors[0])
    page = client.get(url).content.decode()
    assert applicant.national_id not in page
    assert applicant.national_id[-4:] in page
    client.force_login(sharqia_staff)
    assert applicant.national_id in client.get(url).content.decode()


def test_no_page_puts_a_national_id_in_a_link(client, case, applicant, sharqia_staff):
    for person, urls in (
        (
            applicant,
            [reverse("skilltests:home"), *[u for m, u in applicant_urls(case)[:3]]],
        ),
        (
            sharqia_staff,
            [
                reverse("skilltests:staff_applications"),
                reverse(
                    "skilltests:staff_application", args=[case["booked"].reference]
                ),
                reverse("skilltests:staff_session", args=[case["session"].id]),
            ],
        ),
    ):
        client.force_login(person)
        for url in urls:
            html = client.get(url).content.decode()
            links = re.findall(r'(?:href|action|src)="([^"]*)"', html)
            assert not [link for link in links if re.search(r"\d{14}", link)], url


def test_applying_through_the_form_with_arabic_digits(client, worker):
    person = worker()
    client.force_login(person)
    response = client.post(
        reverse("skilltests:apply"),
        {
            "occupation_code": "7533",
            "level_code": "assistant",
            "governorate_code": SHARQIA,
            "experience_years": "١٢",
            "experience_summary": "تطريز يدوي منذ ٢٠١٢",
            "experience_letter": pdf_file(),
            "work_photos": [png_file("a.png"), png_file("b.png")],
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(applicant=person)
    assert application.experience_years == 12
    assert application.documents.count() == 3
    assert response["Location"] == reverse(
        "skilltests:application", args=[application.reference]
    )


def test_the_form_says_what_is_missing_in_arabic(client, worker):
    client.force_login(worker())
    response = client.post(
        reverse("skilltests:apply"),
        {
            "occupation_code": "7533",
            "level_code": "assistant",
            "governorate_code": "13",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "هذا الحقل مطلوب" in html
    assert not Application.objects.exists()


def test_a_refusal_of_the_service_lands_on_the_form(client, worker):
    client.force_login(worker())
    response = client.post(
        reverse("skilltests:apply"),
        {
            "occupation_code": "7531",
            "level_code": "skilled",
            "governorate_code": SHARQIA,
            "experience_years": "3",
            "experience_summary": "خياط",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Application.objects.exists()


def test_an_unverified_person_is_told_to_verify_first(client, worker):
    client.force_login(worker(verified=False))
    home = client.get(reverse("skilltests:home"))
    assert home.status_code == 200
    assert reverse("accounts:identity") in home.content.decode()
    response = client.get(reverse("skilltests:apply"))
    assert response.status_code == 403
    assert reverse("accounts:identity") in response.content.decode()


def test_the_applicant_books_moves_and_cancels_from_the_page(
    client, accepted, applicant, publish
):
    import datetime as dt

    from django.utils import timezone

    first = publish()
    second = publish(starts_at=timezone.now() + dt.timedelta(days=10))
    application = accepted(applicant)
    client.force_login(applicant)
    page = client.get(reverse("skilltests:application", args=[application.reference]))
    assert page.status_code == 200 and len(page.context["sessions"]) == 2
    ref = application.reference
    client.post(reverse("skilltests:book", args=[ref]), {"session": first.id})
    assert Booking.objects.get(status="booked").session_id == first.id
    client.post(reverse("skilltests:move", args=[ref]), {"session": second.id})
    assert Booking.objects.get(status="booked").session_id == second.id
    response = client.post(reverse("skilltests:cancel_appointment", args=[ref]))
    assert response.status_code == 302
    assert not Booking.objects.filter(status="booked").exists()
    # a refusal comes back as a message on the page
    client.post(reverse("skilltests:move", args=[ref]), {"session": second.id})
    shown = client.get(reverse("skilltests:application", args=[ref]))
    assert [m.message for m in shown.context["messages"]]


def test_staff_publish_a_session_from_the_form_with_arabic_digits(
    client, sharqia_staff, assessors
):
    import datetime as dt

    from django.utils import timezone

    from skilltests.models import TestSession

    day = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    eastern = day.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client.force_login(sharqia_staff)
    form = client.get(reverse("skilltests:staff_session_new"))
    choices = [c[0] for c in form.context["form"].fields["workshop"].choices]
    assert choices and all(c.startswith("13-") for c in choices)
    response = client.post(
        reverse("skilltests:staff_session_new"),
        {
            "workshop": "13-zagazig/tailoring",
            "occupation_code": "7531",
            "level_code": "skilled",
            "day": eastern,
            "start": "٠٩:٠٠",
            "duration_min": "٢٤٠",
            "seats": "١٠",
            "assessors": [str(a.pk) for a in assessors],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session = TestSession.objects.get()
    assert session.seats == 10
    assert timezone.localtime(session.starts_at).hour == 9
