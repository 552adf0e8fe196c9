"""Digits as people type them: Eastern-Arabic (٠-٩) and Persian (۰-۹) to Western."""

from __future__ import annotations

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "،": ","})


def to_western_digits(value: str) -> str:
    """Replace Eastern-Arabic and Persian digits (and decimal/thousands marks)."""
    return value.translate(_DIGITS).translate(_SEPARATORS)
