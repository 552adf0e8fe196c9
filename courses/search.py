"""Arabic-normalised search over published courses and lessons.

The Arabic folding itself (`normalise_arabic`, `normalise_query`) lives in
`lms.kernel.text`, shared with assessments' answer matching.
"""

from __future__ import annotations

from lms.kernel.text import normalise_arabic as normalise_arabic
from lms.kernel.text import normalise_query


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


def search_pages(*, query: str, limit: int = 30) -> list:
    """Published, public courses and lessons matching an Arabic-normalised query."""
    from courses.models import CoursePage, LessonPage

    normalised = normalise_query(query)
    if not normalised:
        return []
    results = []
    for model in (CoursePage, LessonPage):
        qs = model.objects.live().public()
        results.extend(qs.search(normalised, operator="and")[:limit])
    return results[:limit]
