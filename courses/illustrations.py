"""The pictures drawn for the trades and courses (static/courses/illustrations/).

A trade's is `<trade code>.svg`, a course's `<trade code>-<course slug>.svg`; a trade
or course nobody drew one for yet gets its trade's, then the generic toolbox, so a
new trade added in the admin still has a picture on its card.
"""

from __future__ import annotations

import functools
from pathlib import Path

FOLDER = "courses/illustrations"
_FILES = Path(__file__).parent / "static" / FOLDER
GENERIC = f"{FOLDER}/trade.svg"


@functools.cache
def _drawn(name: str) -> bool:
    return (_FILES / f"{name}.svg").is_file()


def trade_illustration(trade_code: str) -> str:
    """The static path of the trade's picture (for `{% static %}`)."""
    return f"{FOLDER}/{trade_code}.svg" if _drawn(trade_code) else GENERIC


def course_illustration(trade_code: str, course_slug: str) -> str:
    """The static path of the course's picture, else its trade's."""
    name = f"{trade_code}-{course_slug}"
    return f"{FOLDER}/{name}.svg" if _drawn(name) else trade_illustration(trade_code)
