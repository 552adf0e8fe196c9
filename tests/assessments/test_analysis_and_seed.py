"""Item analysis for the content team, and the demo seed."""

import re
from io import StringIO

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ExamBlueprint, Question, QuestionBank, Rubric
from assessments.question_types import get_kind
from assessments.selectors import item_analysis
from tests.assessments.conftest import start


def sit(blueprint, user, right: set[str]):
    """Answer the kinds in `right` correctly and leave the rest blank."""
    attempt = start(user, blueprint)
    for item in attempt.items.all():
        if item.snapshot["kind"] in right:
            kind = get_kind(item.snapshot["kind"])
            services.attempt_answer_save(
                attempt_id=attempt.pk,
                user_id=user.pk,
                position=item.position,
                response=kind.correct_response(item.snapshot["data"]),
                seq=1,
            )
    services.attempt_submit(attempt_id=attempt.pk, user_id=user.pk)


def test_item_analysis_reports_taken_facility_and_discrimination(
    blueprint, make_user, complete_course
):
    strong = {"single_choice", "multiple_response", "matching", "ordering", "numeric"}
    patterns = [
        strong | {"true_false"},
        strong,
        {"single_choice", "short_answer"},
        {"short_answer"},
    ]
    for right in patterns:
        user = make_user("trainee")
        complete_course(user)
        sit(blueprint, user, right)
    stats = {s.kind: s for s in item_analysis(bank_id=blueprint.bank_id)}
    assert all(s.taken == 4 for s in stats.values())
    assert stats["single_choice"].facility == 0.75
    assert stats["true_false"].facility == 0.25
    assert stats["numeric"].discrimination > 0.5
    assert stats["short_answer"].discrimination < 0  # weak examinees got it: suspicious


def test_item_analysis_of_an_unused_bank_is_empty_but_listed(objective_bank):
    stats = item_analysis(bank_id=objective_bank.pk)
    assert len(stats) == objective_bank.questions.count()
    assert all(s.taken == 0 and s.facility is None for s in stats)


def test_content_team_opens_the_analysis_page(client, content_editor, objective_bank):
    from django.utils import translation

    client.force_login(content_editor)
    with translation.override("ar"):
        response = client.get(
            reverse("assessments:bank_analysis", args=[objective_bank.slug]),
            HTTP_ACCEPT_LANGUAGE="ar",
        )
    assert response.status_code == 200
    cells = [
        c.strip() for c in re.findall(r"<td>([^<]*)</td>", response.content.decode())
    ]
    levels = {q.difficulty for q in objective_bank.questions.all()}
    shown = {"easy": "سهل", "medium": "متوسط", "hard": "صعب"}
    for level in levels:  # the author's difficulty in the reader's language
        assert shown[level] in cells
    assert not levels & set(cells)  # never the stored code ("medium")


@pytest.mark.parametrize("role", ["trainee", "assessor", "instructor"])
def test_others_are_refused_the_analysis_page(client, make_user, role, objective_bank):
    client.force_login(make_user(role))
    response = client.get(
        reverse("assessments:bank_analysis", args=[objective_bank.slug])
    )
    assert response.status_code == 403


def test_seed_demo_creates_banks_blueprints_and_rubrics_once(db):
    from assessments.seeding import seed_assessments

    seed_assessments(StringIO())
    counts = (
        QuestionBank.objects.count(),
        ExamBlueprint.objects.count(),
        Rubric.objects.count(),
        Question.objects.count(),
    )
    seed_assessments(StringIO())
    assert counts[0] == counts[1] == counts[2] == 3
    assert counts[3] == 9 + 12 + 7
    assert (
        QuestionBank.objects.count(),
        ExamBlueprint.objects.count(),
        Rubric.objects.count(),
        Question.objects.count(),
    ) == counts


def test_seeded_blueprints_can_be_drawn(db, trainee):
    from assessments.seeding import seed_assessments

    seed_assessments(StringIO())
    for blueprint in ExamBlueprint.objects.all():
        blueprint.requires_course_completion = False
        blueprint.save()
        attempt = start(trainee, blueprint)
        assert attempt.items.count() > 0
