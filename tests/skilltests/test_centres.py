"""Test centres: reference data for every governorate, the ministry's updates, the
public directory with its map of Egypt (drawn here, nothing from another host) and
"near me" by great-circle distance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.accounts.national_id import governorates
from skilltests.geo import governorate_points, haversine_km, inside_outline
from skilltests.models import TestCentre, Workshop
from skilltests.reference_data import ReferenceDataError
from skilltests.selectors import centre_list
from skilltests.services import centres_load

pytestmark = pytest.mark.django_db

GOVERNORATES = {code for code in governorates() if code != "88"}


def test_every_governorate_has_a_centre_inside_egypt_near_its_capital():
    centres = TestCentre.objects.filter(is_active=True)
    assert {c.governorate_code for c in centres} == GOVERNORATES
    points = governorate_points()
    for centre in centres:
        lat, lon = float(centre.latitude), float(centre.longitude)
        assert inside_outline(lat, lon), centre.code
        capital = points[centre.governorate_code]
        assert haversine_km(lat, lon, capital.latitude, capital.longitude) < 120


def test_every_centre_tests_a_trade_in_a_workshop_with_seats():
    for centre in TestCentre.objects.prefetch_related("workshops__occupations"):
        workshops = list(centre.workshops.all())
        assert workshops, centre.code
        assert all(w.seats >= 1 and w.occupations.exists() for w in workshops)


def test_haversine_gives_the_known_distance_cairo_to_alexandria():
    assert haversine_km(30.0444, 31.2357, 31.2001, 29.9187) == pytest.approx(180, abs=2)
    assert haversine_km(30, 31, 30, 31) == 0


def test_near_a_governorate_lists_the_nearest_first_with_distances():
    centres = centre_list(near_governorate="28")  # Aswan
    assert centres[0].governorate_code == "28"
    distances = [c.distance_km for c in centres]
    assert distances == sorted(distances)
    assert centres[-1].governorate_code in {
        "33",
        "02",
    }  # Matrouh / Alexandria: farthest


def test_filters_by_governorate_and_trade():
    only = centre_list(governorate_code="13")
    assert {c.code for c in only} == {"13-zagazig", "13-tenth-ramadan"}
    refrigeration = centre_list(occupation_code="7127")
    assert refrigeration and all(
        "7127" in {t.code for t in c.trades} for c in refrigeration
    )
    assert len(refrigeration) < len(centre_list())


def test_the_directory_is_public_and_draws_every_centre_on_a_map_of_its_own(client):
    response = client.get(reverse("skilltests:centres"))
    assert response.status_code == 200
    html = response.content.decode()
    count = TestCentre.objects.filter(is_active=True).count()
    assert html.count('class="centre"') == 2 * count  # the country and the Delta
    assert html.count("<svg") >= 2 and 'dir="ltr"' in html
    external = re.findall(r'(?:src|href)="(https?:)?//[^"]*"', html)
    assert external == []
    assert "geolocation=(self)" in response["Permissions-Policy"]


def test_the_directory_near_a_governorate_marks_it_and_the_nearest(client):
    html = client.get(reverse("skilltests:centres") + "?near=13").content.decode()
    assert 'class="me"' in html
    assert 'class="centre near"' in html
    first = re.search(r'<li class="card" data-code="([^"]+)"', html).group(1)
    assert first.startswith("13-")


def test_a_centres_page_shows_its_workshops_and_coming_sessions(client, publish):
    session = publish()
    response = client.get(reverse("skilltests:centre", args=["13-zagazig"]))
    assert response.status_code == 200
    assert [s.id for s in response.context["sessions"]] == [session.id]
    html = response.content.decode()
    assert "7531" in html
    assert client.get(reverse("skilltests:centre", args=["00-none"])).status_code == 404


def test_an_inactive_centre_is_not_listed():
    TestCentre.objects.filter(code="13-zagazig").update(is_active=False)
    assert "13-zagazig" not in {c.code for c in centre_list()}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CENTRES_HEAD = (
    "code,governorate_code,name_ar,name_en,address_ar,address_en,latitude,"
    "longitude,phone,is_active\n"
)
WORKSHOPS_HEAD = "centre_code,code,name_ar,name_en,seats,occupations,is_active\n"


def test_the_ministry_updates_centres_from_a_file(tmp_path):
    centres = _write(
        tmp_path / "c.csv",
        CENTRES_HEAD
        + "13-zagazig,13,مركز الزقازيق الجديد,Zagazig centre,عنوان,Address,"
        "30.58640,31.50460,055-0000000,1\n"
        "13-belbeis,13,مركز بلبيس,Belbeis centre,بلبيس,Belbeis,30.42,31.56,,1\n",
    )
    workshops = _write(
        tmp_path / "w.csv",
        WORKSHOPS_HEAD + "13-belbeis,tailoring,ورشة,Workshop,١٠,7531 7533,1\n",
    )
    report = centres_load(centres_path=centres, workshops_path=workshops)
    assert (report.centres_created, report.centres_updated) == (1, 1)
    assert report.workshops_created == 1
    assert TestCentre.objects.get(code="13-zagazig").name_ar == "مركز الزقازيق الجديد"
    belbeis = Workshop.objects.get(centre__code="13-belbeis")
    assert belbeis.seats == 10
    assert set(belbeis.occupations.values_list("code", flat=True)) == {"7531", "7533"}
    again = centres_load(centres_path=centres, workshops_path=workshops)
    assert (again.centres_created, again.centres_updated, again.workshops_updated) == (
        0,
        0,
        0,
    )


def test_a_wrong_file_writes_nothing_and_names_every_problem(tmp_path):
    centres = _write(
        tmp_path / "c.csv",
        CENTRES_HEAD
        + "x-new,77,اسم,Name,عنوان,Address,30.5,31.5,,1\n"
        + "y-new,13,اسم,Name,عنوان,Address,48.85,2.35,,1\n",
    )
    workshops = _write(
        tmp_path / "w.csv",
        WORKSHOPS_HEAD + "x-new,w,ورشة,Workshop,500,9999,1\n",
    )
    with pytest.raises(ReferenceDataError) as refused:
        centres_load(centres_path=centres, workshops_path=workshops)
    problems = " | ".join(refused.value.problems)
    assert "c.csv:2: unknown governorate 77" in problems
    assert "c.csv:3: coordinates outside Egypt" in problems
    assert "w.csv:2: seats" in problems and "unknown occupations 9999" in problems
    assert not TestCentre.objects.filter(code__in=["x-new", "y-new"]).exists()


def test_the_command_loads_the_shipped_files_again_without_change(capsys):
    call_command("load_test_centres")
    assert "0 new, 0 updated" in capsys.readouterr().out


def test_the_command_refuses_a_missing_file():
    with pytest.raises(CommandError):
        call_command("load_test_centres", "--centres", "/nonexistent.csv")
