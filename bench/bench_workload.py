"""The directorates' workload at 60 months of certificates, on PostgreSQL.

Creates the database maharat_workload_bench (dropped at the end) and fills the
registry's real table with INSERT ... SELECT generate_series: BENCH_WORKLOAD_CERTS
certificates (default 2,500,000, the national volume of bench_reports) issued over
the last 60 months after 0–120 days of waiting, one in 50 still pending (0–200 days
old), spread over the 27 governorates. Then times, median of 5 (3 for the exact
percentiles over 60 months), with this process's
CPU per operation (the database's own CPU is not in it):
  - the window-function path (the portable fallback: "before", what a database
    without percentile_cont runs) and percentile_cont (PostgreSQL) over 60 months;
  - one directorate's figures;
  - the summary's refresh (issue waits by month, governorate and whole days) and
    the percentiles the page reads from it ("after");
  - the whole staff page for the head office over 60 months and 12 months.
Goal: the page well under 300 ms at 60 months.

Run: /work/main/.venv/bin/python bench/bench_workload.py   (needs PostgreSQL)
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
DB = "maharat_workload_bench"
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("LOG_LEVEL", "WARNING")

import psycopg  # noqa: E402

CERTIFICATES = int(os.environ.get("BENCH_WORKLOAD_CERTS", "2500000"))
RUNS = 5


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def timed(label: str, fn, *, runs: int = RUNS, goal_ms: float | None = None):
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    median = statistics.median(walls) * 1000
    flag = f"   <-- over {goal_ms:.0f} ms" if goal_ms and median >= goal_ms else ""
    print(
        f"{label:<60} {median:9.1f} ms  cpu {statistics.median(cpus) * 1000:7.1f} ms"
        f"{flag}"
    )
    return result, median


def generate(cursor) -> None:
    from registry.models import Occupation, SkillLevel

    occupations = Occupation.objects.values_list("pk", flat=True)
    levels = SkillLevel.objects.values_list("pk", flat=True)
    occ = "ARRAY[" + ",".join(map(str, occupations)) + "]"
    lvl = "ARRAY[" + ",".join(map(str, levels)) + "]"
    govs = (
        "ARRAY['01','02','03','04','11','12','13','14','15','16','17','18','19',"
        "'21','22','23','24','25','26','27','28','29','31','32','33','34','35']"
    )
    pending = "i % 50 = 0"
    cursor.execute(
        f"""
        INSERT INTO registry_certificate (serial, national_id, full_name_ar,
          full_name_en, birth_date, gender, governorate_code, occupation_id,
          skill_level_id, issuing_directorate, issue_date, source, evidence,
          legacy_number, status, revocation_reason, approved_at, created_at,
          updated_at, audit_ref)
        SELECT lpad(i::text, 11, '0'), '2' || lpad(i::text, 13, '0'),
          'حامل شهادة', '', date '1980-01-01' + (i % 9000),
          CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END,
          ({govs})[1 + (i * 31) % 27], ({occ})[1 + i % cardinality({occ})],
          ({lvl})[1 + (i / 7) % cardinality({lvl})], '',
          CASE WHEN NOT {pending} THEN (now() - (i % 1825) * interval '1 day')::date
          END,
          'platform_test', '{{}}', '',
          CASE WHEN {pending} THEN 'pending' ELSE 'issued' END, '',
          CASE WHEN NOT {pending} THEN now() - (i % 1825) * interval '1 day' END,
          CASE WHEN {pending} THEN now() - (i % 200) * interval '1 day'
            ELSE now() - (i % 1825) * interval '1 day'
              - ((i::bigint * 7919) % 120) * interval '1 day'
              - ((i::bigint * 104729) % 86400) * interval '1 second' END,
          now(), 'bench'
        FROM generate_series(1, {CERTIFICATES}) AS i
        """
    )
    cursor.execute("ANALYZE registry_certificate")


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
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from lms.accounts.models import User
    from lms.accounts.services import staff_directorate_assign
    from lms.reports.selectors import add_months, month_start
    from registry.selectors import directorate_workload

    timed("migrate", lambda: call_command("migrate", verbosity=0), runs=1)
    with connection.cursor() as cursor:
        timed(
            f"generate {CERTIFICATES:,} certificates", lambda: generate(cursor), runs=1
        )
    this_month = month_start(timezone.localdate())
    first = add_months(this_month, -59)
    period = {"issued_from": first, "issued_to": timezone.localdate()}
    before, t_before = timed(
        "60 months, window functions (fallback; before)",
        lambda: directorate_workload(**period, percentiles="window"),
        runs=3,
    )
    after, t_after = timed(
        "60 months, percentile_cont (PostgreSQL)",
        lambda: directorate_workload(**period),
        runs=3,
    )
    assert before == after, "the two paths disagree"
    print(
        f"  {len(after.directorates)} directorates, "
        f"{sum(d.pending for d in after.directorates):,} pending, "
        f"{sum(d.issued for d in after.directorates):,} issued; "
        f"speed-up {t_before / max(t_after, 1e-9):.1f}x"
    )
    timed(
        "60 months, one directorate (12), percentile_cont",
        lambda: directorate_workload(**period, governorate_codes=["12"]),
    )
    from lms.reports.services import _waits_refresh
    from lms.reports.speeds import issue_speeds

    timed(
        "summary refresh of the issue waits (full)",
        lambda: _waits_refresh(None),
        runs=1,
    )
    since = add_months(this_month, -1)
    timed(
        "summary refresh of the issue waits (since last month)",
        lambda: _waits_refresh(since),
        runs=1,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_issuewaitfact")
        cursor.execute("SELECT count(*) FROM reports_issuewaitfact")
        print(f"  {cursor.fetchone()[0]:,} summary rows")
    summary, _ = timed(
        "60 months, percentiles from the summary (the page's; after)",
        lambda: issue_speeds(**period),
    )
    worst = max(
        abs(summary[d.governorate_code][1] - (d.median_days or 0))
        for d in after.directorates
    )
    print(f"  summary median vs exact: largest gap {worst:.2f} days (whole days)")
    timed(
        "60 months, the queue only (pending by age)",
        lambda: directorate_workload(**period, speeds=False),
    )
    staff = User.objects.create(username="bench-staff", is_staff=True)
    staff.groups.add(Group.objects.get(name="ministry_staff"))
    staff_directorate_assign(user_id=staff.pk, directorate_code="HQ")
    client = Client()
    client.force_login(staff)
    for label, months in (("60 months", 59), ("12 months", 11)):
        query = {
            "date_from": f"{add_months(this_month, -months):%Y-%m}",
            "date_to": f"{this_month:%Y-%m}",
        }
        response, _ = timed(
            f"whole workload page, head office, {label}",
            lambda q=query: client.get("/reports/workload/", q),
            goal_ms=300,
        )
        assert response.status_code == 200, response.status_code


if __name__ == "__main__":
    main()
