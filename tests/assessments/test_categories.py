"""Category paths as Moodle writes them (assessments/categories.py)."""

import pytest

from assessments.categories import join_path, moodle_path, split_path


@pytest.mark.parametrize(
    "path, levels",
    [
        ("$course$/top/Electrics/Safety", ["Electrics", "Safety"]),
        ("$system$/top/Default for X", ["Default for X"]),
        ("Electrics/Safety", ["Electrics", "Safety"]),
        ("A//B/C", ["A/B", "C"]),
        ("/Electrics//Wiring/ ", ["Electrics/Wiring"]),
        ("", []),
    ],
)
def test_a_path_splits_into_its_levels(path, levels):
    assert split_path(path) == levels


def test_joining_escapes_a_slash_inside_a_name_and_round_trips():
    levels = ["تبريد/تكييف", "السلامة"]
    assert split_path(join_path(levels)) == levels
    assert moodle_path(join_path(levels)) == "$course$/top/تبريد//تكييف/السلامة"
    assert moodle_path("") == "$course$/top"
