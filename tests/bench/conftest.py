"""The courses' and skill tests' fixtures, for the surge's page tests."""

from tests.assessments.conftest import (  # noqa: F401 - fixtures
    _english,
    bank,
    complete_course,
    eligible_trainee,
    level,
    make_question,
    objective_bank,
    occupation,
)
from tests.assessments.conftest import blueprint as exam_blueprint  # noqa: F401
from tests.courses.conftest import tree  # noqa: F401
