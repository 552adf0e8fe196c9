"""Matching typed answers with the same Arabic folding as search.

`lms.kernel.text.normalise_query` is the platform's one Arabic normaliser (alef forms,
taa marbuta, alef maqsura, tashkeel, tatweel, the definite article), the one search
uses; typed digits are made Western first (٢٥ → 25).
"""

from __future__ import annotations

import re
import unicodedata

from lms.kernel.digits import to_western_digits
from lms.kernel.text import normalise_query


def normalize_answer(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "")
    return normalise_query(to_western_digits(text))


def answer_matches(pattern: str, response: str) -> bool:
    """Moodle short-answer matching: `*` is a wildcard, everything else folded."""
    folded = normalize_answer(response)
    if "*" not in pattern:
        return folded == normalize_answer(pattern)
    parts = [normalize_answer(part) for part in pattern.split("*")]
    regex = r".*".join(re.escape(part) for part in parts)
    return re.fullmatch(regex, folded) is not None
