"""Instructor cohort progress: who may see it, what it shows, the CSV export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses import services
from tests.courses.conftest import check_block, lessons_of


@pytest.fixture
def course(tree, instructor, trainee):
    course = tree.course(modules=1, lessons=2, body=lambda: [check_block("kc")])
    course.instructors.add(instructor)
    course.save_revision().publish()
    services.enrollment_create(user=trainee, course_id=course.pk)
    services.knowledge_check_submit(
        user=trainee,
        lesson_id=lessons_of(course)[0].pk,
        block_id="kc",
        answers={0: [0], 1: [0, 1]},
    )
    return course


def test_instructor_sees_the_cohort_progress(client, course, instructor, trainee):
    client.force_login(instructor)
    html = client.get(reverse("courses:cohort", args=[course.pk])).content.decode()
    assert trainee.display_name in html
    assert "1 / 2" in html


def test_cohort_csv_has_a_row_per_trainee(client, course, instructor, trainee):
    client.force_login(instructor)
    response = client.get(reverse("courses:cohort_csv", args=[course.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert trainee.display_name in lines[1] and ",50," in lines[1]


def test_trainee_cannot_see_the_cohort(client, course, trainee):
    client.force_login(trainee)
    assert client.get(reverse("courses:cohort", args=[course.pk])).status_code == 403
    assert (
        client.get(reverse("courses:cohort_csv", args=[course.pk])).status_code == 403
    )


def test_another_instructor_cannot_see_the_cohort(client, course, make_user):
    client.force_login(make_user("instructor"))
    assert client.get(reverse("courses:cohort", args=[course.pk])).status_code == 403


def test_anonymous_is_sent_to_log_in(client, course):
    response = client.get(reverse("courses:cohort_csv", args=[course.pk]))
    assert response.status_code == 302


def test_ministry_staff_may_see_any_cohort(client, course, ministry_staff):
    client.force_login(ministry_staff)
    assert client.get(reverse("courses:cohort", args=[course.pk])).status_code == 200


def test_csv_neutralises_formula_names(client, course, instructor, make_user):
    evil = make_user("trainee", full_name_ar="=HYPERLINK(1)")
    services.enrollment_create(user=evil, course_id=course.pk)
    client.force_login(instructor)
    body = client.get(reverse("courses:cohort_csv", args=[course.pk])).content
    assert "'=HYPERLINK(1)" in body.decode("utf-8-sig")
