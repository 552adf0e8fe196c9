"""Lesson page weight and cost: compressed HTML + CSS + JS (media excluded), queries.

Budget: 60 KB compressed for the lesson page's own HTML, CSS and JS. Uses the
configured database (seeds the demo curricula if missing) and prints figures.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from courses import services  # noqa: E402
from courses.models import CoursePage, LessonPage  # noqa: E402
from courses.seed import seed_courses  # noqa: E402

BUDGET_BYTES = 60 * 1024
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> None:
    from django.contrib.auth import get_user_model

    if not LessonPage.objects.live().exists():
        seed_courses(io.StringIO())
    user, _ = get_user_model().objects.get_or_create(
        username="bench-trainee", defaults={"full_name_ar": "متدرب القياس"}
    )
    course = CoursePage.objects.live().order_by("path").first()
    services.enrollment_create(user=user, course_id=course.pk)
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path")[1]
    client = Client()
    client.force_login(user)
    url = lesson.get_url()
    client.get(url)  # warm-up, records the opening
    timings, queries = [], []
    for _ in range(15):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        queries.append(len(ctx.captured_queries))
        assert response.status_code == 200, response.status_code
    html = response.content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    total = gz(html)
    print(f"lesson: {lesson.title} ({url})")
    print(f"  html        {len(html):>7} B raw  {gz(html):>6} B gzip")
    for ref in assets:
        rel = ref.decode()[len(settings.STATIC_URL) :]
        data = Path(finders.find(rel)).read_bytes()
        total += gz(data)
        print(f"  {rel:<20} {len(data):>7} B raw  {gz(data):>6} B gzip")
    print(
        f"total compressed html+css+js: {total} B = {total / 1024:.1f} KB "
        f"(budget {BUDGET_BYTES // 1024} KB, {100 * total / BUDGET_BYTES:.0f}% used)"
    )
    print(f"queries per lesson view: {statistics.median(queries):.0f} (median)")
    print(f"render time: median {1000 * statistics.median(timings):.1f} ms")
    if total > BUDGET_BYTES:
        print("OVER BUDGET")
        sys.exit(1)


if __name__ == "__main__":
    main()
