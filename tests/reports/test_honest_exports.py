"""Every export is exactly the page's validated query; a refused query is a 400.

Before: a query the page refused (a bogus figure, over 60 months, a bad month, an
unknown governorate) fell back to the defaults: the page answered 200 and the export
downloaded a sheet of another figure and period.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

RANGE = {"date_from": "2025-01", "date_to": "2025-06"}
REFUSED = [
    pytest.param({"metric": "bogus"}, "bogus", id="unknown-figure"),
    pytest.param({"date_from": "2020-01", "date_to": "2025-06"}, "60", id="61-months"),
    pytest.param({"date_from": "2025-13"}, "2026-03", id="bad-month"),
    pytest.param({"date_from": "yesterday"}, "2026-03", id="not-a-month"),
    pytest.param(
        {"date_from": "2025-06", "date_to": "2025-01"}, "first month", id="reversed"
    ),
    pytest.param({"governorate": "99"}, "99", id="unknown-governorate"),
]


def url(name="reports:dashboard", *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def staff_client(client, ministry_staff):
    client.force_login(ministry_staff)
    return client


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("query", "said"), REFUSED)
def test_a_refused_query_is_a_400_page_with_the_form_error(
    staff_client, known, query, said
):
    response = staff_client.get(url(), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert response.context["form"].errors
    assert 'id="table-governorate"' not in html  # no figures of another query


@pytest.mark.parametrize(("query", "said"), REFUSED)
@pytest.mark.parametrize("table", ["governorate", "month", "overview", "pass-rates"])
def test_a_refused_query_exports_a_400_message_never_a_sheet(
    staff_client, known, query, said, table
):
    response = staff_client.get(url("reports:export", table, "csv"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Content-Disposition" not in response
    assert said in response.content.decode()


def test_the_export_links_repeat_the_validated_query(staff_client, known):
    query = {"metric": "exam_attempts", "date_from": "٢٠٢٥-٠٢", "date_to": "2025-05"}
    html = staff_client.get("/en/reports/", query).content.decode()
    links = re.findall(r'href="(/en/reports/export/month\.csv\?[^"]+)"', html)
    assert links
    link = unescape(links[0])
    assert "metric=exam_attempts" in link
    assert "date_from=2025-02" in link and "date_to=2025-05" in link


def test_the_exported_sheet_has_the_page_figure_and_period(staff_client, known):
    query = {"metric": "exam_attempts", "date_from": "2025-02", "date_to": "2025-05"}
    page = staff_client.get("/en/reports/", query)
    assert page.status_code == 200
    table = {d: t for d, _label, t in page.context["other_tables"]}["level"]
    link = re.search(
        r'href="(/en/reports/export/level\.csv\?[^"]+)"', page.content.decode()
    )
    response = staff_client.get(unescape(link.group(1)))
    assert response.status_code == 200
    assert 'filename="exam_attempts-by-level.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert "2025-02 – 2025-05" in rows[0][1]
    assert rows[1:-1] == [
        [r.label, str(r.this_year.export), str(r.last_year.export), r.change]
        for r in table.rows
    ]
    assert page.context["metric"].code == "exam_attempts"


def test_an_unknown_figure_is_no_longer_answered_with_another(staff_client, known):
    response = staff_client.get(url("reports:export", "month", "csv"), {"metric": "x"})
    assert response.status_code == 400
    assert staff_client.get(url(), {"metric": "bogus"}).status_code == 400
