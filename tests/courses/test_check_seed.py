"""The demo checks do not give the answer away by its place."""

from __future__ import annotations

import io

import pytest

from courses.models import LessonPage
from courses.seed import seed_courses


@pytest.mark.django_db
def test_the_demo_questions_do_not_put_the_right_answer_first():
    seed_courses(io.StringIO())
    questions = [
        question
        for lesson in LessonPage.objects.all()
        for block in lesson.body
        if block.block_type == "knowledge_check"
        for question in block.value["questions"]
    ]
    assert len(questions) >= 30
    first_right = sum(1 for q in questions if q["choices"][0]["correct"])
    assert first_right <= len(questions) // 2  # was 25 of 32
    last_right = sum(1 for q in questions if q["choices"][-1]["correct"])
    assert last_right > 0  # the right answer lands at every place, not only first
