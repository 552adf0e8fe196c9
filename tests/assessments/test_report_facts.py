"""assessments.selectors.report_facts: exam attempts, passes and practical tests
counted in the database, and what the statistics show once refreshed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Attempt, AttemptStatus, BlueprintRule, ExamBlueprint
from assessments.selectors import report_facts
from lms.reports.selectors import ReportFilters, ReportScope, report_table
from lms.reports.services import facts_refresh
from tests.assessments.conftest import (
    answer_all_correctly,
    confirm_practical,
    open_practical,
    start,
)
from tests.factories import fact_cells, make_national_id

CAIRO = ZoneInfo("Africa/Cairo")
MAR, APR, MAY = (dt.date(2025, m, 1) for m in (3, 4, 5))
RANGE = {"date_from": "2025-01", "date_to": "2025-06"}


def sit(user, blueprint, when: dt.datetime, *, correct: bool) -> Attempt:
    """One real attempt at `when`: drawn, answered (all right, or left blank) and
    submitted five minutes later."""
    attempt = start(user, blueprint, now=when)
    if correct:
        answer_all_correctly(attempt, user, now=when)
    services.attempt_submit(
        attempt_id=attempt.pk, user_id=user.pk, now=when + dt.timedelta(minutes=5)
    )
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def exam_world(
    blueprint, make_question, make_user, complete_course, rubric, assessor, bank
):
    """Known counts, all in the blueprint's occupation 7127 and lowest level:
    - March 2025: 6 women of Cairo (01) sit and pass;
    - a disabled man of Giza (21) fails in March and passes on 1 May 00:10 Cairo
      time (still 30 April in UTC);
    - a woman of Alexandria (02) sits an essay exam in April: awaiting grading, so
      an attempt but not (yet) a pass;
    - a Cairo woman's attempt started in April is still in progress: not counted;
    - practical tests: one submitted in May; one draft, not counted.
    """

    def trainee(gov, gender, disabled=False):
        user = make_user(
            "trainee",
            national_id=make_national_id(governorate=gov, gender=gender),
            has_disability=disabled,
        )
        complete_course(user)
        return user

    women = [trainee("01", "female") for _ in range(6)]
    for n, woman in enumerate(women):
        sit(
            woman,
            blueprint,
            dt.datetime(2025, 3, 3 + n, 10, tzinfo=CAIRO),
            correct=True,
        )
    giza = trainee("21", "male", disabled=True)
    sit(giza, blueprint, dt.datetime(2025, 3, 20, 10, tzinfo=CAIRO), correct=False)
    sit(giza, blueprint, dt.datetime(2025, 5, 1, 0, 10, tzinfo=CAIRO), correct=True)

    make_question("essay", topic="مقال")
    essay_exam = ExamBlueprint.objects.create(
        slug="essay-exam",
        title="اختبار مقالي",
        bank=bank,
        occupation=blueprint.occupation,
        skill_level=blueprint.skill_level,
        time_limit_s=600,
    )
    BlueprintRule.objects.create(
        blueprint=essay_exam, topic=bank.topics.get(name="مقال"), count=1
    )
    alex = trainee("02", "female")
    waiting = sit(
        alex, essay_exam, dt.datetime(2025, 4, 25, 10, tzinfo=CAIRO), correct=True
    )
    assert waiting.status == AttemptStatus.AWAITING_GRADING

    late = trainee("01", "female")
    start(late, blueprint, now=dt.datetime(2025, 4, 28, tzinfo=CAIRO))

    done = open_practical(rubric, women[0], assessor)
    levels = {c.pk: c.levels.first().pk for c in rubric.criteria.all()}
    services.practical_assessment_score(
        assessment_id=done.pk, assessor_id=assessor.pk, levels=levels
    )
    confirm_practical(done, assessor)
    type(done).objects.filter(pk=done.pk).update(
        submitted_at=dt.datetime(2025, 5, 15, 9, tzinfo=CAIRO)
    )
    draft = open_practical(rubric, giza, assessor)
    services.practical_assessment_score(
        assessment_id=draft.pk, assessor_id=assessor.pk, levels=levels
    )
    blueprint.course = complete_course.course  # every trainee here took it
    return blueprint


def cells(metric, rows=None):
    return fact_cells(metric, report_facts() if rows is None else rows)


def test_submitted_attempts_by_month_of_submission(exam_world, level):
    lvl, course = level.code, exam_world.course.pk
    assert cells("exam_attempts") == {
        (MAR, "01", "female", False, "7127", lvl, course): 6,
        (MAR, "21", "male", True, "7127", lvl, course): 1,
        (APR, "02", "female", False, "7127", lvl, course): 1,
        (MAY, "21", "male", True, "7127", lvl, course): 1,
    }


def test_a_pass_counts_once_and_only_when_graded(exam_world, level):
    lvl, course = level.code, exam_world.course.pk
    assert cells("exam_passes") == {
        (MAR, "01", "female", False, "7127", lvl, course): 6,
        (MAY, "21", "male", True, "7127", lvl, course): 1,
    }
    # Submitting the same attempt again changes nothing.
    attempt = Attempt.objects.filter(passed=True).first()
    services.attempt_submit(attempt_id=attempt.pk, user_id=attempt.user.pk)
    assert sum(cells("exam_passes").values()) == 7


def test_in_progress_attempts_and_draft_practicals_are_not_counted(exam_world):
    assert Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).count() == 1
    assert sum(cells("exam_attempts").values()) == 9 == Attempt.objects.count() - 1


def test_practical_assessments_by_month_submitted(exam_world, level):
    assert cells("practical_assessments") == {
        (MAY, "01", "female", False, "7127", level.code, exam_world.course.pk): 1
    }


def test_since_keeps_only_later_months(exam_world, level):
    recent = list(report_facts(since=dt.date(2025, 4, 10)))
    assert {k[0] for k in cells("exam_attempts", recent)} == {APR, MAY}
    assert set(cells("exam_passes", recent).values()) == {1}
    assert len(cells("practical_assessments", recent)) == 1


def test_each_metric_is_one_grouped_query(exam_world, django_assert_num_queries):
    with django_assert_num_queries(3):
        rows = list(report_facts())
    assert {r["metric"] for r in rows} == {
        "exam_attempts",
        "exam_passes",
        "practical_assessments",
    }


def test_refresh_feeds_pass_rates_and_the_small_cell_rule(exam_world, level):
    assert facts_refresh().errors == []
    filters = ReportFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1))
    by_gov = report_table(
        metric="exam_attempts",
        dimension="governorate",
        filters=filters,
        scope=ReportScope(),
    )
    # Two cells are under 5, so no secondary suppression: Cairo's 6 is shown.
    assert {r.key: r.this_year.export for r in by_gov.rows} == {
        "01": 6,
        "02": "<5",
        "21": "<5",
    }
    assert by_gov.total_this_year.export == 9
    from lms.reports.selectors import pass_rates_by_level

    (row,) = pass_rates_by_level(filters=filters, scope=ReportScope())
    assert (row.key, row.attempts.export, row.passes.export) == (level.code, 9, 7)
    assert row.rate == 77.8


def test_instructors_see_the_exams_of_the_course_that_prepared_the_trainees(
    exam_world, level
):
    assert facts_refresh().errors == []
    filters = ReportFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1))

    def attempts(scope):
        table = report_table(
            metric="exam_attempts", dimension="level", filters=filters, scope=scope
        )
        return table.total_this_year.export

    assert attempts(ReportScope(course_ids=(exam_world.course.pk,))) == 9
    assert attempts(ReportScope(course_ids=(exam_world.course.pk + 1000,))) == 0
    assert attempts(ReportScope()) == 9  # the ministry's total is unchanged


@pytest.fixture
def ministry_staff(make_user):
    """The ministry's statistics are read at the head office (directorates see
    their own governorates only)."""
    from lms.accounts.services import staff_directorate_assign

    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code="HQ")
    return user


def test_dashboard_shows_the_pass_rate_chart(client, ministry_staff, exam_world):
    facts_refresh()
    client.force_login(ministry_staff)
    response = client.get("/reports/", {**RANGE, "metric": "exam_attempts"})
    assert response.status_code == 200
    page = response.content.decode()
    chart = page[page.index("Pass rates by level") :]
    assert "77.8%" in chart.split("</svg>")[0]
    assert "No figures for this period." not in page


def test_api_pass_rates_and_hidden_cells(ministry_staff, exam_world, level):
    facts_refresh()
    api = APIClient()
    api.force_authenticate(user=ministry_staff)
    rows = api.get("/api/v1/reports/pass-rates/", RANGE).json()["rows"]
    assert [
        (r["level"], r["attempts"], r["passes"], r["pass_rate_pct"]) for r in rows
    ] == [(level.code, 9, 7, 77.8)]
    body = api.get("/api/v1/reports/exam_passes/by/governorate/", RANGE).json()
    # Giza's single pass is hidden, and Cairo's 6 with it (secondary suppression).
    assert {r["key"]: r["this_year"] for r in body["rows"]} == {"01": "<5", "21": "<5"}
    assert body["total"]["this_year"] == 7
