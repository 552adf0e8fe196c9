"""Question kinds: a small registry of pluggable types.

Each kind knows how to validate its definition (with the answer key), what the
browser may see of it (never the key), how to validate a trainee's response and how
to grade it to a fraction in [0, 1] (None when a person grades it).

`base` holds the registry and the base class; the kinds register when their module is
imported, in the order below (which is the order of `kind_choices`, and of the
choices in the migrations): `choice`, `matching`, `typed`.
"""

from assessments.question_types import choice, matching, typed  # noqa: F401
from assessments.question_types.base import (
    MAX_TEXT_RESPONSE,
    QuestionKind,
    get_kind,
    image_url,
    kind_choices,
    new_id,
    register,
)
from assessments.question_types.typed import parse_number_with_unit

__all__ = [
    "MAX_TEXT_RESPONSE",
    "QuestionKind",
    "get_kind",
    "image_url",
    "kind_choices",
    "new_id",
    "parse_number_with_unit",
    "register",
]
