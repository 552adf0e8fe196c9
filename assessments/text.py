"""Text helpers for matching typed answers.

`normalize_answer` is the same folding search uses (courses owns the canonical
normaliser; this local copy follows the same rules until it lands on main).
"""

from __future__ import annotations

import re
import unicodedata

from lms.accounts.digits import to_western_digits

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
    }
)
_PUNCT = re.compile(r"[^\w\s.\-*]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_answer(value: str) -> str:
    """Fold what trainees type: diacritics, tatweel, alef/yaa/taa forms, digits, case."""
    text = unicodedata.normalize("NFKC", value or "")
    text = to_western_digits(text)
    text = _TASHKEEL.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTERS).casefold()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
