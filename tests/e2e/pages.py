"""The seven pages trainees use most (issue 9), made reachable for one trainee.

Shared by the accessibility journeys and bench/bench_pages.py: a new trainee signs up,
enrols in the demo refrigeration course and starts a practice copy of its skill test;
the verification page is the demo certificate's.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from tests.e2e.harness import manage_on
from tests.e2e.journeys import NewTrainee, sign_up

COURSE_PATH = "/courses/refrigeration-ac/basics/"
MODULE_PATH = COURSE_PATH + "safety/"
LESSON_PATH = MODULE_PATH + "electrical-safety/"
PRACTICE_EXAM_SLUG = "e2e-practice-refrigeration"
EXAM_PATH = f"/exams/{PRACTICE_EXAM_SLUG}/"

# Runs in the server's environment. The demo courses are at the assistant level and the
# demo skill tests at the skilled level, so no demo trainee can reach a test: add a
# practice copy of the refrigeration test without the course prerequisite.
PRACTICE_EXAM = """
import json
from django.urls import reverse
from assessments.models import ExamBlueprint
from registry.models import Certificate
practice = ExamBlueprint.objects.filter(slug="{practice}").first()
if practice is None:
    source = ExamBlueprint.objects.get(slug="refrigeration-ac-skilled")
    rules = list(source.rules.all())
    practice = source
    practice.pk = None
    practice.slug = "{practice}"
    practice.requires_course_completion = False
    practice.save()
    for rule in rules:
        rule.pk = None
        rule.blueprint = practice
        rule.save()
certificate = Certificate.objects.filter(status="issued").first()
print(json.dumps({{"verify": reverse("registry:verify",
                                     args=[certificate.serial_display])}}))
"""


def enrol(page, course_path: str = COURSE_PATH) -> None:
    page.goto(course_path)
    page.click("form[action$='/enrol/'] button[type=submit]")
    page.wait_for_load_state()


def trainee_pages(page, server_url: str) -> tuple[NewTrainee, dict[str, str]]:
    """Sign up in `page` and return the trainee and the seven pages' paths."""
    trainee = sign_up(page)
    enrol(page)
    code = PRACTICE_EXAM.format(practice=PRACTICE_EXAM_SLUG)
    output = manage_on(server_url, "shell", "-c", code)
    verify_path = json.loads(output.strip().splitlines()[-1])["verify"]
    page.goto(EXAM_PATH)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/q/1/")
    return trainee, {
        "home": "/",
        "catalog": "/courses/",
        "course": COURSE_PATH,
        "lesson": LESSON_PATH,
        "dashboard": "/dashboard/",
        "exam question": urlsplit(page.url).path,
        "verification": verify_path,
    }
