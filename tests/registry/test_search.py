"""Staff registry search and the certificate page: criteria, Arabic folding, keyset
pages, directorate scoping, the national ID kept out of URLs, and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lms.accounts.models import Directorate
from lms.kernel.errors import Forbidden, Invalid
from registry.models import Certificate
from registry.selectors import certificate_search, search_criteria
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """Pages in Arabic, the default, whatever an earlier test switched to."""
    from django.utils import translation

    translation.activate("ar")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    yield client
    translation.deactivate()


@pytest.fixture
def hq_staff(make_user):
    return make_user(
        "ministry_staff",
        is_staff=True,
        directorate=Directorate.objects.get(code=Directorate.HEAD_OFFICE_CODE),
    )


@pytest.fixture
def sharqia_staff(make_user):
    return make_user(
        "ministry_staff",
        is_staff=True,
        directorate=Directorate.objects.get(governorate_code="13"),
    )


@pytest.fixture
def cairo_staff(make_user):
    return make_user(
        "ministry_staff",
        is_staff=True,
        directorate=Directorate.objects.get(governorate_code="01"),
    )


@pytest.fixture
def registry(make_issued, make_pending):
    """Four certificates in two governorates, spelled the way people type."""
    return {
        "mona": make_issued(
            national_id=make_national_id(governorate="13"),
            full_name_ar="مُنى أحمد السيد",
            full_name_en="Mona Ahmed El-Sayed",
        ),
        "fatma": make_issued(
            national_id=make_national_id(governorate="13"),
            full_name_ar="فاطمة إبراهيم",
            full_name_en="Fatma Ibrahim",
            occupation_code="7422",
        ),
        "cairo": make_issued(
            national_id=make_national_id(governorate="01"),
            full_name_ar="أحمد حسن",
            full_name_en="Ahmed Hassan",
        ),
        "pending": make_pending(
            national_id=make_national_id(governorate="13"),
            full_name_ar="كريم مصطفى",
            full_name_en="Karim Mostafa",
        ),
    }


def _serials(page) -> set[str]:
    return {c.serial for c in page.certificates}


def search(user, **criteria):
    return certificate_search(viewer_id=user.pk, criteria=search_criteria(**criteria))


def test_name_search_folds_arabic_spelling_variants(hq_staff, registry):
    # typed without hamza and tashkeel, with the article: still found
    assert _serials(search(hq_staff, text="احمد")) == {
        registry["mona"].serial,
        registry["cairo"].serial,
    }
    assert _serials(search(hq_staff, text="منى السيد")) == {registry["mona"].serial}
    assert _serials(search(hq_staff, text="فاطمه")) == {registry["fatma"].serial}
    assert _serials(search(hq_staff, text="ibrahim")) == {registry["fatma"].serial}
    assert _serials(search(hq_staff, text="منى حسن")) == set()


def test_serial_in_any_typed_form_finds_one(hq_staff, registry):
    serial = registry["fatma"].serial_display
    for typed in (serial, serial.lower().replace("-", " "), serial.replace("-", "")):
        assert _serials(search(hq_staff, text=typed)) == {registry["fatma"].serial}


def test_national_id_with_eastern_digits(hq_staff, registry):
    nid = registry["cairo"].national_id
    eastern = nid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert _serials(search(hq_staff, national_id=eastern)) == {registry["cairo"].serial}


def test_filters_combine(hq_staff, registry):
    assert _serials(search(hq_staff, occupation="7422")) == {registry["fatma"].serial}
    assert _serials(search(hq_staff, status="pending")) == {registry["pending"].serial}
    assert _serials(search(hq_staff, governorate="01", text="احمد")) == {
        registry["cairo"].serial
    }
    assert _serials(search(hq_staff, level="skilled", status="issued")) == {
        registry["mona"].serial,
        registry["fatma"].serial,
        registry["cairo"].serial,
    }
    today = registry["mona"].issue_date
    assert len(search(hq_staff, issued_from=today, issued_to=today).certificates) == 3
    assert search(hq_staff, issued_to=today - dt.timedelta(days=1)).certificates == ()


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"national_id": "123"}, "national_id"),
        ({"occupation": "0000"}, "occupation"),
        ({"level": "wizard"}, "level"),
        ({"status": "forged"}, "status"),
        ({"text": "م"}, "text"),
        (
            {"issued_from": dt.date(2026, 5, 1), "issued_to": dt.date(2026, 4, 1)},
            "issued_to",
        ),
    ],
)
def test_bad_criteria_are_refused_naming_the_field(hq_staff, criteria, field):
    with pytest.raises(Invalid) as caught:
        search(hq_staff, **criteria)
    assert field in caught.value.fields


def test_keyset_pages_walk_every_result_once(hq_staff, make_issued):
    made = [
        make_issued(
            national_id=make_national_id(governorate="12"), full_name_ar=f"سارة {i}"
        )
        for i in range(7)
    ]
    criteria = search_criteria(text="ساره")
    seen, before = [], None
    while True:
        page = certificate_search(
            viewer_id=hq_staff.pk, criteria=criteria, before_id=before, size=3
        )
        seen += [c.id for c in page.certificates]
        if page.next_before_id is None:
            break
        before = page.next_before_id
    assert seen == sorted((c.id for c in made), reverse=True)
    back = certificate_search(
        viewer_id=hq_staff.pk, criteria=criteria, after_id=seen[3], size=3
    )
    assert [c.id for c in back.certificates] == seen[:3]
    assert back.previous_after_id is None


def test_directorate_staff_search_their_governorate_only(
    sharqia_staff, cairo_staff, registry
):
    everything = {c.serial for c in Certificate.objects.all()}
    sharqia = _serials(search(sharqia_staff))
    assert sharqia == {
        registry["mona"].serial,
        registry["fatma"].serial,
        registry["pending"].serial,
    }
    assert _serials(search(cairo_staff)) == everything - sharqia
    # a national ID of another governorate finds nothing, never the certificate
    assert (
        search(sharqia_staff, national_id=registry["cairo"].national_id).certificates
        == ()
    )
    with pytest.raises(Forbidden) as caught:
        search(sharqia_staff, governorate="01")
    assert caught.value.code == "outside_directorate"


def test_only_ministry_staff_may_search(make_user, trainee, registry):
    for person in (trainee, make_user("instructor"), make_user("assessor")):
        with pytest.raises(Forbidden):
            search(person, text="احمد")
    unassigned = make_user("ministry_staff", is_staff=True)
    with pytest.raises(Forbidden) as caught:
        search(unassigned)
    assert caught.value.code == "no_directorate"


# --- the pages ---------------------------------------------------------------------


def test_search_page_posts_then_pages_by_search_id_never_the_national_id(
    client, hq_staff, registry
):
    client.force_login(hq_staff)
    nid = registry["mona"].national_id
    answer = client.post(reverse("registry:search"), {"national_id": nid})
    assert answer.status_code == 302
    location = answer["Location"]
    assert nid not in location and "s=" in location
    page = client.get(location)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert registry["mona"].serial_display in body
    assert registry["fatma"].serial_display not in body


def test_search_page_shows_field_errors_and_expired_searches(client, hq_staff):
    client.force_login(hq_staff)
    bad = client.post(
        reverse("registry:search"),
        {"issued_from": "٢٠٢٦-٠٥-٠١", "issued_to": "2026-04-01"},
    )
    assert bad.status_code == 400
    assert "نهاية الفترة قبل بدايتها." in bad.content.decode()  # Arabic first
    nid_bad = client.post(reverse("registry:search"), {"national_id": "12345"})
    assert nid_bad.status_code == 302  # the form takes any text; the selector refuses
    refused = client.get(nid_bad["Location"])
    assert refused.status_code == 400
    expired = client.get(reverse("registry:search") + "?s=not-a-search")
    assert expired.status_code == 404
    assert "انتهت صلاحية هذا البحث" in expired.content.decode()


def test_search_id_belongs_to_its_session(client, hq_staff, make_user, registry):
    client.force_login(hq_staff)
    location = client.post(reverse("registry:search"), {"text": "احمد"})["Location"]
    other = make_user(
        "ministry_staff",
        is_staff=True,
        directorate=Directorate.objects.get(code=Directorate.HEAD_OFFICE_CODE),
    )
    client.force_login(other)
    assert client.get(location).status_code == 404


def test_search_page_refuses_trainees_and_anonymous(client, trainee):
    url = reverse("registry:search")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(trainee)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "احمد"}).status_code == 403


def test_certificate_page_shows_evidence_history_and_actions(
    client, hq_staff, make_pending, ministry_staff
):
    pending = make_pending(
        national_id=make_national_id(governorate="13"),
        evidence={
            "theory_percent": "82.00",
            "practical_percent": "75.00",
            "combined_percent": "77.80",
            "policy": {"pass_percent": "60"},
            "practical": {
                "assessor": {"id": 1, "name": "المقيم سمير"},
                "rubric": "خياطة قميص",
                "scores": [
                    {
                        "criterion": "دقة القص",
                        "weight": 2,
                        "level": "متقن",
                        "fraction": "1",
                        "comment": "",
                    }
                ],
                "photos": [{"id": 41, "caption": "القميص"}],
                "comments": "",
            },
        },
    )
    client.force_login(hq_staff)
    page = client.get(
        reverse("registry:certificate_detail", args=[pending.serial_display])
    )
    assert page.status_code == 200
    body = page.content.decode()
    for shown in ("82.00%", "77.80%", "المقيم سمير", "دقة القص", "متقن"):
        assert shown in body
    assert reverse("assessments:evidence_photo", args=[41]) in body
    assert "أُنشئت، بانتظار الاعتماد" in body  # its history
    assert reverse("registry:pending") in body  # hq_staff did not create it: may review
    assert reverse("registry:approve", args=[pending.serial_display]) in body
    client.force_login(ministry_staff)  # its creator: may see it, not review it
    own = client.get(
        reverse("registry:certificate_detail", args=[pending.serial_display])
    )
    assert own.status_code == 200
    assert reverse("registry:approve", args=[pending.serial_display]) not in (
        own.content.decode()
    )


def test_certificate_page_refuses_other_directorates_and_trainees(
    client, cairo_staff, sharqia_staff, trainee, registry
):
    url = reverse("registry:certificate_detail", args=[registry["mona"].serial_display])
    client.force_login(cairo_staff)
    answer = client.get(url)
    assert answer.status_code == 403
    client.force_login(trainee)
    assert client.get(url).status_code == 403
    client.force_login(sharqia_staff)
    assert client.get(url).status_code == 200
    missing = client.get(reverse("registry:certificate_detail", args=["AAAA-AAAA-AAA"]))
    assert missing.status_code == 404
