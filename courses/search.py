"""Search text: what courses and lessons index, folded the platform's Arabic way.

What courses and lessons index for search (`stream_text`: a lesson body's text, never
knowledge-check answers). The Arabic folding itself (`normalise_arabic`,
`normalise_query`) lives in `lms.kernel.text`, shared with assessments' answer
matching; the search is `courses.selectors.search_pages`.
"""

from __future__ import annotations

from lms.kernel.text import normalise_arabic as normalise_arabic
from lms.kernel.text import normalise_query as normalise_query


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
