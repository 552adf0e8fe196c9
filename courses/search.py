"""Arabic folding for search: what courses and lessons index, and how queries match.

`normalise_arabic` is the one place the platform folds Arabic spelling variants;
other apps (assessments) may reuse it (declared in .importlinter). Pure text: the
search itself is `courses.selectors.search_pages`.
"""

from __future__ import annotations

import re

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
    }
)
_WORD = re.compile(r"\w+")
_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def normalise_arabic(text: str) -> str:
    """Fold Arabic spelling variants so "الخياطه" and "الخياطة" compare equal.

    Alef forms → ا, ة → ه, ى → ي, tashkeel and tatweel removed, each word also
    indexed without its definite article (so "تكييف" finds "التكييف").
    """
    if not text:
        return ""
    text = _TASHKEEL.sub("", text).replace(_TATWEEL, "").translate(_FOLD).lower()
    words = []
    for word in _WORD.findall(text):
        words.append(word)
        stripped = strip_article(word)
        if stripped != word:
            words.append(stripped)
    return " ".join(words)


def strip_article(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def normalise_query(text: str) -> str:
    """The query side: fold variants and drop the article, word by word."""
    folded = _TASHKEEL.sub("", text or "").replace(_TATWEEL, "").translate(_FOLD)
    return " ".join(strip_article(w) for w in _WORD.findall(folded.lower()))


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
