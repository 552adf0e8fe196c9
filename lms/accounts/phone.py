"""Egyptian mobile numbers: 010, 011, 012 or 015 followed by 8 digits."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lms.kernel.digits import to_western_digits

_MOBILE = re.compile(r"01[0125]\d{8}")
_NOISE = re.compile(r"[\s\-().\u200e\u200f]")


def normalize_phone(value: object) -> str:
    """`+20 10 1234 5678` or `٠١٠١٢٣٤٥٦٧٨` → `01012345678`; raises if not a mobile."""
    text = _NOISE.sub("", to_western_digits(str(value or "")))
    for prefix in ("+20", "0020", "20"):
        if text.startswith(prefix) and len(text) == len(prefix) + 10:
            text = "0" + text[len(prefix) :]
            break
    if not _MOBILE.fullmatch(text):
        raise ValidationError(
            _(
                "Enter an Egyptian mobile number: 11 digits starting with "
                "010, 011, 012 or 015."
            ),
            code="phone",
        )
    return text


def validate_phone(value: object) -> None:
    normalize_phone(value)
