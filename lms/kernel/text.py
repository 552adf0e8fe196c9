"""Arabic folding: the one place the platform makes spelling variants compare equal.

Search (courses) indexes and queries with it; assessments matches typed short answers
with it. Alef forms → ا, ة → ه, ى → ي, tashkeel and tatweel removed, the definite
article dropped (the index keeps each word with and without it).
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


def _fold(text: str) -> str:
    return _TASHKEEL.sub("", text).replace(_TATWEEL, "").translate(_FOLD).lower()


def normalise_arabic(text: str) -> str:
    """Fold Arabic spelling variants so "الخياطه" and "الخياطة" compare equal.

    The index side: each word is kept, and also without its definite article (so
    "تكييف" finds "التكييف").
    """
    if not text:
        return ""
    words = []
    for word in _WORD.findall(_fold(text)):
        words.append(word)
        stripped = strip_article(word)
        if stripped != word:
            words.append(stripped)
    return " ".join(words)


def strip_article(word: str) -> str:
    """The word without a leading definite article (وال، بال، فال، كال، لل، ال)."""
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def normalise_query(text: str) -> str:
    """The query side: fold variants and drop the article, word by word."""
    return " ".join(strip_article(w) for w in _WORD.findall(_fold(text or "")))
