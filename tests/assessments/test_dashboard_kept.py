"""The kept trainee dashboard (issue 19) and skill tests: an attempt started or
submitted, a result from a practical test, an exam renamed, show at once."""

from __future__ import annotations

import pytest

from assessments.models import LevelPolicy
from tests.assessments.test_practical_and_level import practical, sit
from tests.home.kept_pages import fresh, kept, signed_in

from .conftest import start

RESULT = "Passed: certificate pending approval"


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 300


def test_an_attempt_started_and_submitted_shows_at_once(
    blueprint, eligible_trainee, occupation
):
    LevelPolicy.objects.create(
        occupation=occupation, theory_weight=1, practical_weight=0
    )
    client = signed_in(eligible_trainee)
    assert "Resume:" not in kept(client)
    start(eligible_trainee, blueprint)
    page = fresh(client)
    assert "Resume:" in page and blueprint.title in page
    kept(client)
    sit(blueprint, eligible_trainee)  # resumes the same attempt and submits it
    page = fresh(client)
    assert "Resume:" not in page and RESULT in page


def test_a_practical_test_confirmed_shows_the_result(
    blueprint, rubric, eligible_trainee, assessor
):
    sit(blueprint, eligible_trainee)
    client = signed_in(eligible_trainee)
    assert RESULT not in kept(client)  # the practical part is missing
    practical(rubric, eligible_trainee, assessor, ["ممتاز", "ممتاز"])
    assert RESULT in fresh(client)


def test_an_exam_renamed_shows_on_the_resume_button(blueprint, eligible_trainee):
    start(eligible_trainee, blueprint)
    client = signed_in(eligible_trainee)
    kept(client)
    blueprint.title = "Refrigeration, theory (2027)"
    blueprint.save()
    assert "Refrigeration, theory (2027)" in fresh(client)
