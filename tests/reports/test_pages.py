"""The dashboard page, its charts and exports, and who may open them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

RANGE = {"date_from": "2025-01", "date_to": "2025-06"}


def url(name="reports:dashboard", *args):
    with translation.override("ar"):
        return reverse(name, args=args)


@pytest.fixture
def staff_client(client, ministry_staff):
    client.force_login(ministry_staff)
    return client


def test_dashboard_shows_figures_charts_and_their_time(staff_client, known):
    response = staff_client.get(url(), RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Figures as of" in html or "الأرقام حتى" in html
    assert html.count("<svg") == 4  # the map, two bar charts, the trend
    assert 'direction="rtl"' in html  # Arabic is the default language
    assert "القاهرة" in html and "الدقهلية" in html
    assert "&lt;5" in html


def test_each_chart_is_followed_by_its_data_table(staff_client, known):
    html = staff_client.get(url(), RANGE).content.decode()
    for chart_heading, table_marker in (
        ('id="gov-h"', 'id="table-governorate"'),
        ('id="trend-h"', 'id="table-month"'),
        ('id="rates-h"', "<table>"),
    ):
        section = html[html.index(chart_heading) :]
        section = section[: section.index("</section>")]
        assert section.index("<svg") < section.index(table_marker)


def test_english_charts_run_left_to_right(staff_client, known):
    response = staff_client.get("/en/reports/", RANGE)
    html = response.content.decode()
    assert 'direction="ltr"' in html and "Cairo" in html


def test_eastern_arabic_digits_are_accepted_in_the_months(staff_client, known):
    response = staff_client.get(
        url(), {"date_from": "٢٠٢٥-٠١", "date_to": "٢٠٢٥-٠٦", "governorate": "12"}
    )
    assert response.context["filters"].date_from.isoformat() == "2025-01-01"
    rows = {r.metric.code: r for r in response.context["overview"]}
    assert rows["enrolments"].this_year.value == 20


def test_reversed_months_are_refused_with_a_message(staff_client, known):
    response = staff_client.get(url(), {"date_from": "2025-06", "date_to": "2025-01"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


def test_csv_export_is_utf8_with_bom_and_arabic_headers(staff_client, known):
    response = staff_client.get(url("reports:export", "governorate", "csv"), RANGE)
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "المحافظة"
    assert rows[1] == ["القاهرة", "<5", "6", "—"]
    assert rows[-1][:3] == ["الإجمالي", "40", "14"]


def test_xlsx_export_is_right_to_left_with_arabic_headers(staff_client, known):
    response = staff_client.get(url("reports:export", "pass-rates", "xlsx"), RANGE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["A1"].value == "المستوى المهاري"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][1:4] == [20, 15, 75.0]
    assert values[1][1:4] == [8, "<5", "—"]


def test_overview_export_lists_every_figure(staff_client, known):
    response = staff_client.get(url("reports:export", "overview", "xlsx"), RANGE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    from lms.reports.facts import METRICS

    listed = [m for m in METRICS.values() if m.listed]  # wait sums are not figures
    assert sheet.max_row == 1 + len(listed)


def test_unknown_export_is_not_found(staff_client, known):
    assert staff_client.get(url("reports:export", "names", "csv")).status_code == 404
    assert staff_client.get(url("reports:export", "month", "pdf")).status_code == 404


def test_instructor_sees_only_their_courses(client, instructor, known):
    client.force_login(instructor)
    response = client.get(url(), RANGE)
    assert response.status_code == 200
    rows = {r.metric.code: r for r in response.context["overview"]}
    assert rows["enrolments"].this_year.value == 17
    assert "certificates_issued" not in rows


def test_instructor_export_is_limited_to_their_courses(client, instructor, known):
    client.force_login(instructor)
    response = client.get(url("reports:export", "occupation", "csv"), RANGE)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:-1]] == ["الخياطون وصانعو الملابس (ترزي)"]


def test_anonymous_visitor_is_sent_to_log_in(client, known):
    response = client.get(url())
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_trainee_is_refused(client, trainee, known):
    client.force_login(trainee)
    assert client.get(url()).status_code == 403


def test_trainee_is_refused_the_export(client, trainee, known):
    client.force_login(trainee)
    assert client.get(url("reports:export", "overview", "csv")).status_code == 403


def test_assessor_is_refused(client, assessor, known):
    client.force_login(assessor)
    assert client.get(url()).status_code == 403


def test_content_editor_is_refused(client, content_editor, known):
    client.force_login(content_editor)
    assert client.get(url()).status_code == 403
