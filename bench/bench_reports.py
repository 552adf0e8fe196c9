"""Reports at national volume on PostgreSQL: refresh time and every dashboard query.

Creates the database maharat_reports_bench (dropped at the end), generates with
INSERT ... SELECT generate_series:
  - 200,000 trainees and 500,000 enrolments (courses' real tables), with lesson
    progress and completions;
  - 2,500,000 registry certificates (registry_certificate: issued, revoked,
    pending; one in five linked to an account), 400,000 exam attempts and 150,000
    practical assessments (assessments' real tables);
then times each app's report_facts source on its own (full, and since last month as
the hourly refresh runs it), the whole refresh (full and since last month), each
dashboard query (median of 5) and the whole dashboard page.
Goal: every one under 1 s.

Run: /work/main/.venv/bin/python bench/bench_reports.py   (needs PostgreSQL)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = "maharat_reports_bench"
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("LOG_LEVEL", "WARNING")

import psycopg  # noqa: E402

USERS = 200_000
ENROLMENTS = 500_000
CERTIFICATES = 2_500_000
ATTEMPTS = 400_000
PRACTICALS = 150_000
COURSES = 20


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def timed(label: str, fn, *, runs: int = 1, goal: bool = True):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    flag = "   <-- over 1 s" if goal and median >= 1 else ""
    print(f"{label:<58} {median * 1000:9.1f} ms{flag}")
    return result, median


def build_courses():
    from wagtail.models import Page

    from courses.models import (
        CatalogPage,
        CoursePage,
        LessonPage,
        ModulePage,
        TradePage,
    )
    from registry.models import Occupation, SkillLevel

    home = Page.objects.get(depth=2).specific
    catalog = home.add_child(instance=CatalogPage(title="الدورات", slug="courses"))
    occupations = list(Occupation.objects.all())
    levels = list(SkillLevel.objects.order_by("rank"))
    trade = catalog.add_child(
        instance=TradePage(
            title="مهن", slug="trades", trade="all", occupation=occupations[0]
        )
    )
    ids = []
    for n in range(COURSES):
        course = trade.add_child(
            instance=CoursePage(
                title=f"دورة {n}",
                slug=f"course-{n}",
                occupation=occupations[n % len(occupations)],
                skill_level=levels[n % len(levels)],
            )
        )
        module = course.add_child(instance=ModulePage(title="وحدة", slug="m"))
        module.add_child(instance=LessonPage(title="درس", slug="l"))
        ids.append(course.pk)
    return ids


def generate(cursor, course_ids: list[int]) -> None:
    from lms.accounts.national_id import governorates

    govs = "ARRAY[" + ",".join(f"'{code}'" for code in governorates()) + "]"
    cursor.execute(
        f"""
        INSERT INTO accounts_user (password, is_superuser, username, first_name,
          last_name, email, is_staff, is_active, date_joined, full_name_ar,
          full_name_en, gender, governorate_code, has_disability)
        SELECT '!', false, 'bench' || i, '', '', '', false, true, now(), '', '',
          CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END,
          ({govs})[1 + (i * 7919) % 28], i % 23 = 0
        FROM generate_series(1, {USERS}) AS i
        """
    )
    cursor.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'bench%%'")
    first_user = cursor.fetchone()[0]
    courses = "ARRAY[" + ",".join(map(str, course_ids)) + "]"
    cursor.execute(
        f"""
        INSERT INTO courses_enrollment (user_id, course_id, status, enrolled_at)
        SELECT {first_user} + (i % {USERS}),
          ({courses})[1 + ((i / {USERS}) + (i % {USERS})) % {COURSES}],
          'active',
          now() - make_interval(days => (i * 37) % 730)
        FROM generate_series(0, {ENROLMENTS - 1}) AS i
        """
    )
    cursor.execute(
        """
        INSERT INTO courses_lessonprogress (user_id, lesson_id, course_id, opened_at,
          last_opened_at, completed_at)
        SELECT e.user_id, l.page_ptr_id, e.course_id, e.enrolled_at,
          e.enrolled_at + interval '20 days',
          CASE WHEN e.id % 3 = 0 THEN e.enrolled_at + interval '25 days' END
        FROM courses_enrollment e
        JOIN wagtailcore_page cp ON cp.id = e.course_id
        JOIN wagtailcore_page lp
          ON lp.path LIKE cp.path || '%%' AND lp.depth = cp.depth + 2
        JOIN courses_lessonpage l ON l.page_ptr_id = lp.id
        """
    )
    cursor.execute(
        """
        INSERT INTO courses_coursecompletion (user_id, course_id, completed_at)
        SELECT user_id, course_id, enrolled_at + interval '40 days'
        FROM courses_enrollment WHERE id % 4 = 0
        """
    )
    generate_registry(cursor, govs, first_user)
    generate_assessments(cursor, first_user)
    cursor.execute("ANALYZE")


def build_exams() -> tuple[list[int], list[int]]:
    """One question bank, exam blueprint and rubric per occupation and level."""
    from assessments.models import ExamBlueprint, QuestionBank, Rubric
    from registry.models import Occupation, SkillLevel

    blueprints, rubrics = [], []
    for occupation in Occupation.objects.all():
        for level in SkillLevel.objects.all():
            slug = f"{occupation.code}-{level.code}"
            bank = QuestionBank.objects.create(
                slug=slug, title=slug, occupation=occupation, skill_level=level
            )
            blueprints.append(
                ExamBlueprint.objects.create(
                    slug=slug,
                    title=slug,
                    bank=bank,
                    occupation=occupation,
                    skill_level=level,
                ).pk
            )
            rubrics.append(
                Rubric.objects.create(
                    title=slug, occupation=occupation, skill_level=level
                ).pk
            )
    return blueprints, rubrics


def generate_registry(cursor, govs: str, first_user: int) -> None:
    """The registry's real table: issued, revoked (about 1 in 97) and pending (1 in
    251) certificates over ten years; one in five linked to an account."""
    from registry.models import Occupation, SkillLevel

    occupations = (
        "ARRAY["
        + ",".join(str(pk) for pk in Occupation.objects.values_list("pk", flat=True))
        + "]"
    )
    levels = (
        "ARRAY["
        + ",".join(str(pk) for pk in SkillLevel.objects.values_list("pk", flat=True))
        + "]"
    )
    revoked = "i % 97 = 0 AND i % 251 <> 0"
    cursor.execute(
        f"""
        INSERT INTO registry_certificate (serial, national_id, holder_id,
          full_name_ar, full_name_en, birth_date, gender, governorate_code,
          occupation_id, skill_level_id, issuing_directorate, issue_date, source,
          evidence, legacy_number, status, revoked_at, revocation_reason,
          created_at, updated_at, audit_ref)
        SELECT lpad(i::text, 11, '0'), '2' || lpad(i::text, 13, '0'),
          CASE WHEN i % 5 = 0 THEN {first_user} + i % {USERS} END,
          'حامل شهادة', '', date '1980-01-01' + (i % 9000),
          CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END,
          ({govs})[1 + (i * 31) % 28],
          ({occupations})[1 + i % cardinality({occupations})],
          ({levels})[1 + (i / 7) % cardinality({levels})], '',
          CASE WHEN i % 251 <> 0 THEN current_date - (i % 3650) END,
          'paper_import', '{{}}', '',
          CASE WHEN i % 251 = 0 THEN 'pending' WHEN {revoked} THEN 'revoked'
            ELSE 'issued' END,
          CASE WHEN {revoked} THEN
            LEAST((current_date - (i % 3650) + 30)::timestamptz, now()) END,
          CASE WHEN {revoked} THEN 'bench' ELSE '' END,
          now(), now(), 'bench'
        FROM generate_series(1, {CERTIFICATES}) AS i
        """
    )


def generate_assessments(cursor, first_user: int) -> None:
    """Exam attempts (graded, some awaiting grading, a few in progress) and
    practical assessments (most submitted) over two years."""
    blueprints, rubrics = build_exams()
    bps = "ARRAY[" + ",".join(map(str, blueprints)) + "]"
    rbs = "ARRAY[" + ",".join(map(str, rubrics)) + "]"
    cursor.execute(
        f"""
        INSERT INTO assessments_attempt (user_id, blueprint_id, number, status,
          started_at, deadline_at, submitted_at, auto_submitted, score, max_score,
          percent, passed)
        SELECT {first_user} + i % {USERS},
          ({bps})[1 + (i / {USERS}) % cardinality({bps})], 1,
          CASE WHEN i % 101 = 0 THEN 'in_progress'
            WHEN i % 41 = 0 THEN 'awaiting_grading' ELSE 'graded' END,
          t.at, t.at + interval '1 hour',
          CASE WHEN i % 101 <> 0 THEN t.at + interval '50 minutes' END,
          false, NULL, 20, NULL,
          CASE WHEN i % 101 = 0 OR i % 41 = 0 THEN NULL
            ELSE (i * 17) % 100 < 62 END
        FROM generate_series(0, {ATTEMPTS - 1}) AS i,
          LATERAL (SELECT now() - make_interval(days => (i * 11) % 730) AS at) t
        """
    )
    cursor.execute(
        f"""
        INSERT INTO assessments_practicalassessment (rubric_id, trainee_id,
          assessor_id, status, comments, percent, created_at, submitted_at)
        SELECT ({rbs})[1 + i % cardinality({rbs})],
          {first_user} + 1 + i % ({USERS} - 1), {first_user},
          CASE WHEN i % 9 = 0 THEN 'draft' ELSE 'submitted' END, '',
          NULL, t.at, CASE WHEN i % 9 <> 0 THEN t.at + interval '2 hours' END
        FROM generate_series(0, {PRACTICALS} - 1) AS i,
          LATERAL (SELECT now() - make_interval(days => (i * 13) % 730) AS at) t
        """
    )


def time_sources() -> None:
    """Each app's report_facts on its own, full and since last month (the GROUP BY
    queries run as the refresh runs them; rows are counted, not stored)."""
    from lms.reports.facts import fact_sources, source_name
    from lms.reports.selectors import ReportFilters, add_months

    since = add_months(ReportFilters.default().date_to, -1)
    for source in fact_sources():
        name = source_name(source).split(".")[0]
        for label, start in (("full", None), (f"since {since:%Y-%m}", since)):
            rows, _ = timed(
                f"source {name} ({label})",
                lambda s=source, d=start: sum(1 for _ in s(since=d)),
                goal=False,
            )
            print(f"  {rows:,} fact rows")


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DB}")
    admin_sql(f"CREATE DATABASE {DB}")
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lms.reports.models import ReportFact
    from lms.reports.selectors import (
        DIMENSIONS,
        ReportFilters,
        ReportScope,
        add_months,
        overview,
        pass_rates_by_level,
        report_table,
    )
    from lms.reports.services import facts_refresh

    timed("migrate", lambda: call_command("migrate", verbosity=0), goal=False)
    course_ids = build_courses()
    with connection.cursor() as cursor:
        timed(
            "generate source rows (generate_series)",
            lambda: generate(cursor, course_ids),
            goal=False,
        )
        for table in (
            "accounts_user",
            "courses_enrollment",
            "courses_lessonprogress",
            "courses_coursecompletion",
            "registry_certificate",
            "assessments_attempt",
            "assessments_practicalassessment",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"  {table:<30} {cursor.fetchone()[0]:>12,} rows")
    time_sources()
    refresh, _ = timed("refresh: every source (full)", facts_refresh, goal=False)
    print(f"  {refresh.rows:,} summary rows, errors: {refresh.errors or 'none'}")
    since = add_months(ReportFilters.default().date_to, -1)
    timed(
        f"refresh: every source since {since:%Y-%m} (the hourly run)",
        lambda: facts_refresh(since=since),
        goal=False,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_reportfact")
    print(f"  summary rows: {ReportFact.objects.count():,}")

    everything = ReportScope()
    instructor = ReportScope(course_ids=tuple(course_ids[:3]))
    last = ReportFilters.default().date_to
    filters = ReportFilters(date_from=last.replace(year=last.year - 1), date_to=last)
    worst = 0.0
    _, t = timed(
        "overview (every figure, year on year)",
        lambda: overview(filters=filters, scope=everything),
        runs=5,
    )
    worst = max(worst, t)
    for metric in (
        "enrolments",
        "active_trainees",
        "certificates_issued",
        "exam_attempts",
    ):
        for dim in DIMENSIONS:
            _, t = timed(
                f"{metric} by {dim}",
                lambda m=metric, d=dim: report_table(
                    metric=m, dimension=d, filters=filters, scope=everything
                ),
                runs=5,
            )
            worst = max(worst, t)
    _, t = timed(
        "pass rates by level",
        lambda: pass_rates_by_level(filters=filters, scope=everything),
        runs=5,
    )
    worst = max(worst, t)
    _, t = timed(
        "instructor: enrolments by governorate (3 courses)",
        lambda: report_table(
            metric="enrolments",
            dimension="governorate",
            filters=filters,
            scope=instructor,
        ),
        runs=5,
    )
    worst = max(worst, t)
    _, t = timed(
        "filtered: certificates by month, gov 01 + 7422",
        lambda: report_table(
            metric="certificates_issued",
            dimension="month",
            filters=ReportFilters(
                date_from=filters.date_from,
                date_to=filters.date_to,
                governorate="01",
                occupation="7422",
            ),
            scope=everything,
        ),
        runs=5,
    )
    worst = max(worst, t)

    from django.contrib.auth.models import Group

    from lms.accounts.models import User
    from lms.accounts.services import staff_directorate_assign

    staff = User.objects.create(username="bench-staff", is_staff=True)
    staff.groups.add(Group.objects.get(name="ministry_staff"))
    staff_directorate_assign(user_id=staff.pk, directorate_code="HQ")
    client = Client()
    client.force_login(staff)
    for metric in ("enrolments", "active_trainees", "certificates_issued"):
        response, t = timed(
            f"whole dashboard page (metric={metric})",
            lambda m=metric: client.get("/reports/", {"metric": m}),
            runs=5,
        )
        assert response.status_code == 200, response.status_code
        worst = max(worst, t)
    print(f"slowest dashboard query or page: {worst * 1000:.1f} ms (goal < 1000 ms)")


if __name__ == "__main__":
    main()
