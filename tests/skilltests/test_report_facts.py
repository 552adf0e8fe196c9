"""Skill tests' report facts (issue #21 item 6): counted from the applications'
events (the first of each kind), checked against the same figures worked out here
from the rows, through the refresh, the service table (rates, mean waits) and the
centres' figures."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lms.reports.facts import FactRow
from lms.reports.models import ReportFact, ReportRefresh
from lms.reports.selectors import ReportFilters, ReportScope
from lms.reports.services import facts_refresh
from lms.reports.skilltest_figures import service_table
from registry.models import Occupation, SkillLevel
from skilltests.models import Application, ApplicationEvent, Booking, TestSession
from skilltests.selectors import centre_figures, report_facts
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db

CAIRO_TZ = ZoneInfo("Africa/Cairo")
T0 = dt.datetime(2026, 9, 3, 9, 0, tzinfo=CAIRO_TZ)
SEPTEMBER = dt.date(2026, 9, 1)
N = 30


def plan(i: int) -> list[tuple[str, str, dt.datetime]]:
    """The events of the i-th Sharqia application: (action, state after, at)."""
    submitted = T0 + dt.timedelta(hours=i)
    events = [("submitted", "submitted", submitted)]
    if i >= 24:
        return events + [("returned", "returned", submitted + dt.timedelta(days=1))]
    events.append(("accepted", "accepted", submitted + dt.timedelta(days=1)))
    if i >= 22:
        return events
    events.append(("booked", "booked", submitted + dt.timedelta(days=2)))
    tested = submitted + dt.timedelta(days=10 + i % 3, hours=i % 5)
    if i >= 16:
        return events + [("no_show", "no_show", tested)]
    events.append(("tested", "tested", tested))
    passed = i < 11
    result_at = tested + dt.timedelta(days=1)
    events.append(("result", "passed" if passed else "failed", result_at))
    if passed:
        certified = tested + dt.timedelta(days=5 + i % 4, hours=3)
        events.append(("certified", "certified", certified))
    return events


@pytest.fixture
def scene(make_user, publish, db):
    """30 Sharqia applications along the path (two centres), one in Cairo, one in
    Alexandria."""
    occupation = Occupation.objects.get(code="7531")
    level = SkillLevel.objects.get(code="skilled")
    zagazig = publish()
    tenth = publish(
        centre_code="13-tenth-ramadan",
        starts_at=timezone.now() + dt.timedelta(days=8),
    )

    def application(i: int, governorate: str, events) -> Application:
        gender = "female" if i % 3 == 0 else "male"
        user = make_user(
            "trainee", national_id=make_national_id(governorate="13", gender=gender)
        )
        app = Application.objects.create(
            reference=f"T{i:07d}",
            applicant=user,
            occupation=occupation,
            skill_level=level,
            governorate_code=governorate,
            experience_years=3,
            experience_summary="ترزي",
            state=events[-1][1],
            return_reason="أرفق خطاب الخبرة" if events[-1][1] == "returned" else "",
            submitted_at=events[0][2],
        )
        before = ""
        for action, after, at in events:
            ApplicationEvent.objects.create(
                application=app,
                action=action,
                state_before=before,
                state_after=after,
                at=at,
            )
            before = after
        if any(a == "booked" for a, _s, _t in events):
            no_show = events[-1][0] == "no_show"
            Booking.objects.create(
                application=app,
                session_id=(zagazig if i % 2 == 0 else tenth).id,
                status="no_show" if no_show else "checked_in",
                # a checked-in seat carries its time (constraint of the day of the test)
                checked_in_at=None if no_show else events[-1][2],
                token=secrets.token_hex(16),
            )
        return app

    apps = [application(i, "13", plan(i)) for i in range(N)]
    cairo = application(
        99,
        "01",
        [
            ("submitted", "submitted", T0),
            ("accepted", "accepted", T0 + dt.timedelta(days=2)),
        ],
    )
    # a second small cell, so no shown cell is hidden to protect Cairo's
    alexandria = application(98, "02", [("submitted", "submitted", T0)])
    return {
        "apps": apps,
        "cairo": cairo,
        "alexandria": alexandria,
        "zagazig": zagazig,
        "tenth": tenth,
    }


def expected_counts() -> Counter:
    """The figures worked out from the plan, independently of the selector."""
    first: dict[tuple[int, str], tuple[str, dt.datetime]] = {}
    for i in range(N):
        for action, after, at in plan(i):
            first.setdefault((i, action), (after, at))
    out: Counter = Counter()
    names = {
        "submitted": "skilltest_applications",
        "accepted": "skilltest_acceptances",
        "tested": "skilltest_tested",
        "no_show": "skilltest_no_shows",
        "result": "skilltest_results",
        "certified": "skilltest_certified",
    }
    for (i, action), (after, at) in first.items():
        if action in names:
            out[names[action]] += 1
        if action == "returned":
            out["skilltest_returns"] += 1
        if action == "result" and after == "passed":
            out["skilltest_passes"] += 1
        if action == "tested":
            waited = at - first[(i, "submitted")][1]
            out["skilltest_wait_to_test_days"] += waited.days
        if action == "certified":
            waited = at - first[(i, "tested")][1]
            out["skilltest_wait_to_certificate_days"] += waited.days
    return out


def sharqia_totals(rows) -> Counter:
    out: Counter = Counter()
    for row in rows:
        fact = FactRow.coerce(row)
        if fact.governorate_code == "13":
            out[fact.metric] += fact.value
    return out


def test_every_figure_equals_the_count_worked_out_from_the_events(scene):
    rows = list(report_facts())
    assert sharqia_totals(rows) == expected_counts()
    assert {FactRow.coerce(r).month for r in rows} == {SEPTEMBER}


def test_a_second_event_of_a_kind_does_not_count_again(scene):
    first = scene["apps"][0]
    ApplicationEvent.objects.create(
        application=first,
        action="tested",
        state_before="tested",
        state_after="tested",
        at=T0 + dt.timedelta(days=25),
    )
    assert sharqia_totals(report_facts()) == expected_counts()


def test_facts_carry_the_applicants_gender_and_the_directorate(scene):
    rows = [FactRow.coerce(r) for r in report_facts()]
    applications = Counter(
        (r.governorate_code, r.gender)
        for r in rows
        if r.metric == "skilltest_applications"
        for _ in range(r.value)
    )
    women = sum(1 for i in range(N) if i % 3 == 0)
    assert applications[("13", "female")] == women
    assert applications[("13", "male")] == N - women
    assert applications[("01", "female")] + applications[("01", "male")] == 1


def test_facts_from_a_later_month_leave_earlier_events_out(scene):
    assert list(report_facts(since=dt.date(2026, 11, 1))) == []


def test_the_refresh_takes_every_row_without_an_error(scene):
    facts_refresh()
    refresh = ReportRefresh.objects.order_by("-started_at").first()
    assert refresh.errors == []
    stored = Counter()
    for metric, value in ReportFact.objects.filter(
        governorate_code="13", metric__startswith="skilltest_"
    ).values_list("metric", "value"):
        stored[metric] += value
    assert stored == expected_counts()


def test_the_service_table_gives_the_rates_and_mean_waits(scene):
    facts_refresh()
    expected = expected_counts()
    filters = ReportFilters(date_from=SEPTEMBER, date_to=SEPTEMBER)
    rows, total = service_table(
        dimension="governorate", filters=filters, scope=ReportScope()
    )
    sharqia = next(r for r in rows if r.key == "13")
    accepted, returned = (
        expected["skilltest_acceptances"],
        expected["skilltest_returns"],
    )
    assert sharqia.applications.value == N
    assert sharqia.acceptance_rate == round(100 * accepted / (accepted + returned), 1)
    sat, absent = expected["skilltest_tested"], expected["skilltest_no_shows"]
    assert sharqia.no_show_rate == round(100 * absent / (sat + absent), 1)
    assert sharqia.pass_rate == round(
        100 * expected["skilltest_passes"] / expected["skilltest_results"], 1
    )
    assert sharqia.days_to_test == round(
        expected["skilltest_wait_to_test_days"] / sat, 1
    )
    assert sharqia.days_to_certificate == round(
        expected["skilltest_wait_to_certificate_days"]
        / expected["skilltest_certified"],
        1,
    )
    cairo = next(r for r in rows if r.key == "01")
    assert cairo.applications.value is None  # one application: hidden
    assert cairo.pass_rate is None
    assert total.applications.value == N + 2


def test_the_service_table_of_a_directorate_holds_its_governorate_only(scene):
    facts_refresh()
    filters = ReportFilters(date_from=SEPTEMBER, date_to=SEPTEMBER)
    rows, total = service_table(
        dimension="governorate",
        filters=filters,
        scope=ReportScope(governorate_codes=("01",)),
    )
    assert {r.key for r in rows} <= {"01"}
    assert total.pass_rate is None


def test_the_centres_figures_follow_the_seat_held(scene):
    figures = {
        c.centre_code: c for c in centre_figures(date_from=SEPTEMBER, date_to=SEPTEMBER)
    }
    for code, parity in (("13-zagazig", 0), ("13-tenth-ramadan", 1)):
        mine = [i for i in range(N) if i % 2 == parity]
        assert figures[code].tested == sum(1 for i in mine if i < 16)
        assert figures[code].no_shows == sum(1 for i in mine if 16 <= i < 22)
        assert figures[code].results == sum(1 for i in mine if i < 16)
        assert figures[code].passes == sum(1 for i in mine if i < 11)
        assert figures[code].governorate_code == "13"


def test_the_centres_figures_of_another_directorate_are_empty(scene):
    assert (
        centre_figures(
            date_from=SEPTEMBER, date_to=SEPTEMBER, governorate_codes=("01",)
        )
        == []
    )


def test_a_moved_booking_gives_its_centre_up(scene):
    app = scene["apps"][0]  # Zagazig, tested
    Booking.objects.filter(application=app).update(status="moved")
    figures = {
        c.centre_code: c for c in centre_figures(date_from=SEPTEMBER, date_to=SEPTEMBER)
    }
    mine = [i for i in range(N) if i % 2 == 0]
    assert figures["13-zagazig"].tested == sum(1 for i in mine if i < 16) - 1
    assert figures[""].tested == 1
    assert TestSession.objects.count() == 2
