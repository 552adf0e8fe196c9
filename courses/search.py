"""Search text: what courses and lessons index, folded the platform's Arabic way.

What courses and lessons index for search (`stream_text`: a lesson body's text, never
knowledge-check answers), and how a query grows by the trades' synonyms
(`expand_query`, groups from `content.selectors.search_synonym_groups`). The Arabic
folding itself (`normalise_arabic`, `normalise_query`) lives in `lms.kernel.text`,
shared with assessments' answer matching; the search is
`courses.selectors.search_pages`.
"""

from __future__ import annotations

from collections.abc import Iterable

from lms.kernel.text import normalise_arabic as normalise_arabic
from lms.kernel.text import normalise_query as normalise_query


def expand_query(
    folded: str, groups: Iterable[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """The folded query as its parts, each with the terms that may stand for it:
    every part must match, by any of its terms. A part is the longest run of words
    that is a synonym term ("تكييف هواء" before "تكييف"); a term in several groups
    brings them all. Words no group knows stand alone."""
    alternatives: dict[tuple[str, ...], list[str]] = {}
    for group in groups:
        for term in group:
            known = alternatives.setdefault(tuple(term.split()), [])
            known.extend(t for t in group if t not in known)
    longest = max((len(words) for words in alternatives), default=0)
    words = folded.split()
    parts: list[tuple[str, ...]] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            run = tuple(words[start : start + size])
            if run in alternatives:
                parts.append(tuple(alternatives[run]))
                start += size
                break
        else:
            parts.append((words[start],))
            start += 1
    return parts


def stream_text(stream) -> str:
    """Plain text of a lesson body for the index (prompts and answers excluded)."""
    from django.utils.html import strip_tags

    parts: list[str] = []
    for item in stream.raw_data:
        value = item["value"]
        kind = item["type"]
        if kind == "text":
            parts.append(strip_tags(value))
        elif kind in ("heading", "safety", "glossary", "procedure", "tools"):
            parts.extend(_strings(value))
    return " ".join(parts)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
