"""Small cells read "<5" in Arabic pages and charts; the governorate tile map.

Before: "<5" stood bare in right-to-left text, where "<" takes the line's direction
and is mirrored: readers saw "5>".
"""

from __future__ import annotations

import re

import pytest

from lms.reports import maps
from lms.reports.map_layout import MAP_TILES

RANGE = {"date_from": "2025-01", "date_to": "2025-06"}
LRI, PDI = "\u2066", "\u2069"


@pytest.fixture
def staff_client(client, ministry_staff):
    client.force_login(ministry_staff)
    return client


def test_a_hidden_cell_is_isolated_left_to_right_in_the_tables(staff_client, known):
    html = staff_client.get("/reports/", RANGE).content.decode()
    assert f'<td class="num">{LRI}&lt;5{PDI}</td>' in html
    assert '<td class="num">&lt;5</td>' not in html


def test_a_hidden_cell_is_isolated_left_to_right_in_the_charts(staff_client, known):
    html = staff_client.get("/reports/", {**RANGE, "metric": "enrolments"})
    svgs = re.findall(r"<svg.*?</svg>", html.content.decode(), flags=re.S)
    texts = [t for svg in svgs for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    hidden = [t for t in texts if "&lt;5" in t]
    assert hidden
    assert all(t.startswith(LRI) and t.endswith(PDI) for t in hidden)


def test_exports_and_the_api_keep_the_plain_marker(ministry_staff, known):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(ministry_staff)
    body = api.get("/api/v1/reports/enrolments/by/governorate/", RANGE).json()
    assert "<5" in [r["this_year"] for r in body["rows"]]


def test_the_map_has_every_governorate_once_placed_on_its_own_tile():
    from lms.accounts.national_id import governorates

    codes = {c for c in governorates() if c != "88"}
    assert set(MAP_TILES) == codes and len(codes) == 27
    assert len(set(MAP_TILES.values())) == 27


def test_the_map_beside_the_table_names_each_governorate_and_its_figure(
    staff_client, known
):
    html = staff_client.get("/reports/", {**RANGE, "metric": "enrolments"})
    html = html.content.decode()
    section = html[html.index('id="gov-h"') :]
    section = section[: section.index("</section>")]
    svg = re.search(r'<svg[^>]*class="chart map".*?</svg>', section, re.S).group(0)
    assert section.index("map") < section.index('id="table-governorate"')
    assert svg.count('class="tile"') == 27
    assert f"<title>الدقهلية: {LRI}20{PDI}</title>" in svg  # 2025-03, governorate 12
    assert f"<title>القاهرة: {LRI}&lt;5{PDI}</title>" in svg  # hidden in Cairo
    assert f"<title>أسوان: {LRI}0{PDI}</title>" in svg
    assert "https://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "tile map" in html or "خريطة" in html


def test_the_map_shade_grows_with_the_figure_and_hidden_is_grey():
    assert maps.shade(None, 10) == maps.HIDDEN
    assert maps.shade(0, 10) == maps.ZERO
    assert maps.shade(1, 100) == maps.SHADES[0]
    assert maps.shade(100, 100) == maps.SHADES[-1]
    assert maps.shade(50, 100) == maps.SHADES[2]
