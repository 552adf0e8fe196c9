"""Item analysis: measured difficulty (facility), discrimination (Moodle's index and
the upper/lower 27 % index) and distractor analysis, every label translated."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import ExamBlueprint
from assessments.selectors import item_analysis
from tests.assessments.conftest import start

FOUR = {
    "options": [
        {"text": "الخيار الصحيح", "fraction": 1},
        {"text": "مشتت جذاب", "fraction": 0},
        {"text": "مشتت الضعفاء", "fraction": 0},
        {"text": "مشتت مهمل", "fraction": 0},
    ]
}


@pytest.fixture
def sat_exam(bank, occupation, level, make_question, make_user):
    """Ten trainees: three strong (both right), four middling (true/false right,
    the attractive distractor), three weak (both wrong, the weak distractor)."""
    choice = make_question("single_choice", data=FOUR, topic="أ")
    make_question("true_false", data={"answer": True}, topic="ب")
    blueprint = ExamBlueprint.objects.create(
        slug="analysis",
        title="تحليل",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        requires_course_completion=False,
    )
    for topic in bank.topics.all():
        blueprint.rules.create(topic=topic, count=1)
    plan = [("الخيار الصحيح", True)] * 3 + [("مشتت جذاب", True)] * 4
    plan += [("مشتت الضعفاء", False)] * 3
    for text, truth in plan:
        user = make_user("trainee")
        attempt = start(user, blueprint)
        for item in attempt.items.all():
            if item.snapshot["kind"] == "single_choice":
                options = item.snapshot["data"]["options"]
                response = next(o["id"] for o in options if o["text"] == text)
            else:
                response = truth
            services.attempt_answer_save(
                attempt_id=attempt.pk,
                user_id=user.pk,
                position=item.position,
                response=response,
                seq=1,
            )
        services.attempt_submit(attempt_id=attempt.pk, user_id=user.pk)
    return choice


def test_distractor_analysis_counts_each_option_by_top_and_bottom_group(sat_exam, bank):
    stats = {s.kind: s for s in item_analysis(bank_id=bank.pk)}
    choice = stats["single_choice"]
    assert choice.taken == 10 and choice.facility == pytest.approx(0.3)
    assert choice.group_size == 3  # 27 % of ten
    rows = {d.text: d for d in choice.distractors}
    assert list(rows) == [o["text"] for o in FOUR["options"]]  # the author's order
    assert (rows["الخيار الصحيح"].chosen, rows["الخيار الصحيح"].upper) == (3, 3)
    assert rows["الخيار الصحيح"].lower == 0 and rows["الخيار الصحيح"].correct
    assert (rows["مشتت جذاب"].chosen, rows["مشتت جذاب"].upper) == (4, 0)
    assert (rows["مشتت الضعفاء"].chosen, rows["مشتت الضعفاء"].lower) == (3, 3)
    assert rows["مشتت مهمل"].chosen == 0 and rows["مشتت مهمل"].unused
    assert choice.upper_lower_index == pytest.approx(1.0)  # 3/3 - 0/3
    assert stats["true_false"].distractors == ()  # no options to analyse


def test_a_distractor_the_strong_prefer_is_flagged(
    bank, occupation, level, make_question, make_user
):
    from assessments.data import DistractorStats

    row = DistractorStats(
        option_id="x", text="t", correct=False, chosen=4, upper=3, lower=1
    )
    assert row.misleads_strong
    assert not DistractorStats("y", "t", True, 4, 3, 1).misleads_strong


def test_measured_difficulty_is_labelled_in_the_readers_language(sat_exam, bank):
    stats = {s.kind: s for s in item_analysis(bank_id=bank.pk)}
    with translation.override("ar"):
        assert str(stats["single_choice"].facility_label) == "صعب"  # 0.3
        assert str(stats["true_false"].facility_label) == "متوسط"  # 0.7


def test_the_analysis_page_shows_distractors_in_arabic(
    sat_exam, bank, client, content_editor
):
    client.force_login(content_editor)
    with translation.override("ar"):
        html = client.get(
            reverse("assessments:bank_analysis", args=[bank.slug]),
            HTTP_ACCEPT_LANGUAGE="ar",
        ).content.decode()
    assert "مشتت جذاب" in html and "تحليل المشتتات" in html
    assert "المجموعة العليا" in html and "المجموعة الدنيا" in html
    for english in ("easy", "medium", "hard", "Upper group", "Distractor"):
        assert english not in re.sub(r"<[^>]+>", " ", html)
