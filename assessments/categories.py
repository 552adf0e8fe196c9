"""Question categories as a tree: a topic's name is its path, Moodle's way.

Moodle writes a category as a path (``$course$/top/Electrics/Safety``), levels
separated by ``/`` and a ``/`` inside a name doubled (``A//B`` is the one name
``A/B``). A topic stores the path below the context (``Electrics/Safety``); the tree
of a bank is built from its topics' paths, and the export writes them back.
"""

from __future__ import annotations

import re

SEPARATOR = "/"
_CONTEXTS = ("$course$", "$cat$", "$module$", "$system$", "$quiz$")
_SPLIT = re.compile(r"(?<!/)/(?!/)")


def split_path(path: str) -> list[str]:
    """The levels of a category path, names unescaped; the context (``$course$``)
    and Moodle's ``top`` level dropped; empty levels ignored."""
    levels = [part.replace("//", "/").strip() for part in _SPLIT.split(path or "")]
    levels = [level for level in levels if level]
    if levels and levels[0] in _CONTEXTS:
        levels = levels[1:]
    if levels and levels[0].lower() == "top":
        levels = levels[1:]
    return levels


def join_path(levels: list[str]) -> str:
    """A topic's stored path from its levels (each ``/`` in a name doubled)."""
    return SEPARATOR.join(level.strip().replace("/", "//") for level in levels if level)


def moodle_path(path: str, *, context: str = "$course$") -> str:
    """The path as Moodle's export writes it: ``$course$/top/<levels>``."""
    stored = join_path(split_path(path))
    return SEPARATOR.join([context, "top", stored] if stored else [context, "top"])
