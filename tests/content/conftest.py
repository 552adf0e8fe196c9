"""Course-tree fixtures shared with the courses tests."""

from tests.courses.conftest import tree  # noqa: F401
