"""Reports at national volume on PostgreSQL: refresh time and every dashboard query.

Creates the database maharat_reports_bench (dropped at the end), generates with
INSERT ... SELECT generate_series:
  - 200,000 trainees and 500,000 enrolments (courses' real tables), with lesson
    progress and completions, then runs the real refresh (courses' report_facts);
  - 2,500,000 registry certificate holders and 400,000 exam attempts in stand-in
    tables (bench_certificates, bench_attempts), because the registry's and the
    assessments' tables are not merged into this branch yet: they are aggregated
    into the reports' summary with the same GROUP BY their report_facts will run.
Then times each dashboard query (median of 5) and the whole dashboard page.
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
    # Stand-ins for tables not merged into this branch yet.
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE bench_certificates AS
        SELECT i AS id, ({govs})[1 + (i * 31) % 28] AS governorate_code,
          (ARRAY['7531','7532','7533','8153','7422','7421','7127'])[1 + i % 7]
            AS occupation_code,
          (ARRAY['assistant','skilled','technician','specialist'])[1 + (i / 7) % 4]
            AS level_code,
          CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END AS gender,
          i % 29 = 0 AS has_disability,
          (date '2016-01-01' + (i % 3950)) AS issue_date,
          CASE WHEN i % 97 = 0 THEN date '2016-01-01' + (i % 3950) + 30 END
            AS revoked_on
        FROM generate_series(1, {CERTIFICATES}) AS i
        """
    )
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE bench_attempts AS
        SELECT i AS id, ({govs})[1 + (i * 13) % 28] AS governorate_code,
          (ARRAY['7531','7532','7533','8153','7422','7421','7127'])[1 + i % 7]
            AS occupation_code,
          (ARRAY['assistant','skilled','technician','specialist'])[1 + (i / 7) % 4]
            AS level_code,
          CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END AS gender,
          i % 31 = 0 AS has_disability,
          ({courses})[1 + i % {COURSES}] AS course_id,
          now() - make_interval(days => (i * 11) % 730) AS submitted_at,
          (i * 17) % 100 < 62 AS passed
        FROM generate_series(1, {ATTEMPTS}) AS i
        """
    )
    cursor.execute("ANALYZE")


AGGREGATES = [
    (
        "certificates_issued",
        "SELECT 'certificates_issued', date_trunc('month', issue_date)::date,"
        " governorate_code, occupation_code, level_code, gender, has_disability,"
        " NULL::bigint, count(*) FROM bench_certificates GROUP BY 2,3,4,5,6,7",
    ),
    (
        "certificates_revoked",
        "SELECT 'certificates_revoked', date_trunc('month', revoked_on)::date,"
        " governorate_code, occupation_code, level_code, gender, has_disability,"
        " NULL::bigint, count(*) FROM bench_certificates"
        " WHERE revoked_on IS NOT NULL GROUP BY 2,3,4,5,6,7",
    ),
    (
        "exam_attempts",
        "SELECT 'exam_attempts', date_trunc('month', submitted_at)::date,"
        " governorate_code, occupation_code, level_code, gender, has_disability,"
        " course_id, count(*) FROM bench_attempts GROUP BY 2,3,4,5,6,7,8",
    ),
    (
        "exam_passes",
        "SELECT 'exam_passes', date_trunc('month', submitted_at)::date,"
        " governorate_code, occupation_code, level_code, gender, has_disability,"
        " course_id, count(*) FROM bench_attempts WHERE passed GROUP BY 2,3,4,5,6,7,8",
    ),
]


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
            "bench_certificates",
            "bench_attempts",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"  {table:<30} {cursor.fetchone()[0]:>12,} rows")
    timed("refresh (courses.report_facts over real tables)", facts_refresh, goal=False)
    with connection.cursor() as cursor:
        for metric, sql in AGGREGATES:
            timed(
                f"aggregate {metric} (stand-in source) into summary",
                lambda sql=sql: cursor.execute(
                    "INSERT INTO reports_reportfact (metric, month, governorate_code,"
                    " occupation_code, level_code, gender, has_disability, course_id,"
                    f" value) {sql}"
                ),
                goal=False,
            )
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

    staff = User.objects.create(username="bench-staff", is_staff=True)
    staff.groups.add(Group.objects.get(name="ministry_staff"))
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
