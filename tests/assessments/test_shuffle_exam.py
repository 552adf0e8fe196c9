"""Exam options: shuffled once per attempt (stable within it), unless the author
pinned the question's order (data["shuffle"] is False, Moodle's shuffleanswers)."""

from __future__ import annotations

from assessments.models import ExamBlueprint, QuestionVersion
from assessments.selectors import attempt_public_get
from tests.assessments.conftest import start

FIVE = {
    "options": [{"text": f"خيار {n}", "fraction": 1 if n == 0 else 0} for n in range(5)]
}


def one_question_exam(bank, occupation, level, make_question, *, pinned: bool):
    question = make_question("single_choice", data=FIVE)
    if pinned:
        # the key the importers keep (Moodle's shuffleanswers = 0)
        version = QuestionVersion.objects.get(pk=question.current_version_id)
        version.data = {**version.data, "shuffle": False}
        version.save(update_fields=["data"])
    blueprint = ExamBlueprint.objects.create(
        slug=f"one-{'pinned' if pinned else 'free'}",
        title="اختبار",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        requires_course_completion=False,
    )
    blueprint.rules.create(topic=question.topic, count=1)
    return blueprint


def option_texts(user, attempt):
    public = attempt_public_get(attempt_id=attempt.pk, user_id=user.pk)
    return [o["text"] for o in public.items[0].choices["options"]]


def test_each_attempt_gets_its_own_order_kept_on_reload(
    bank, occupation, level, make_question, make_user
):
    blueprint = one_question_exam(bank, occupation, level, make_question, pinned=False)
    orders = set()
    for _n in range(8):
        user = make_user("trainee")
        attempt = start(user, blueprint)
        first = option_texts(user, attempt)
        assert option_texts(user, start(user, blueprint)) == first  # resumed: same
        orders.add(tuple(first))
    assert len(orders) > 1


def test_a_pinned_question_keeps_the_authors_order(
    bank, occupation, level, make_question, make_user
):
    blueprint = one_question_exam(bank, occupation, level, make_question, pinned=True)
    authored = [o["text"] for o in FIVE["options"]]
    for _n in range(8):
        user = make_user("trainee")
        assert option_texts(user, start(user, blueprint)) == authored


def test_the_demo_banks_do_not_put_the_right_option_first(db):
    from io import StringIO

    from assessments.models import Question
    from assessments.seeding import seed_assessments

    seed_assessments(StringIO())
    keys = [
        q.current_version.data["options"]
        for q in Question.objects.filter(
            kind__in=["single_choice", "multiple_response"]
        ).select_related("current_version")
    ]
    assert len(keys) >= 5
    first_best = sum(
        1
        for options in keys
        if options[0]["fraction"] == max(o["fraction"] for o in options)
    )
    assert first_best <= len(keys) // 2
