"""Nothing personal in an SMS: it passes through a gateway and sits on a lock screen.

`sms_safe` removes what could name or reach a person from a notice's text before it
is sent by SMS: anything shaped like a national ID (14 digits) or a phone number,
e-mail addresses, and the recipient's own names. Apps' texts can carry what people
typed (a class title), so the check runs on every SMS, not only on our own wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lms.kernel.digits import to_western_digits

REDACTED = "…"

# Groups of digits (Western or Eastern-Arabic) joined by single spaces, dashes or dots,
# with an optional leading +: each run is judged on its digits alone (`_personal`),
# so a date or an hour ("2026-12-03 18:00") stays.
_DIGIT_RUN = re.compile(r"\+?\d+(?:[ \-.\u200e\u200f]?\d+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NATIONAL_ID = re.compile(r"[23]\d{13}")
_MOBILE = re.compile(r"(?:0|20|0020)?1[0125]\d{8}")
_LANDLINE = re.compile(r"(?:0|0020)\d{8,9}")


def _personal(run: str) -> bool:
    digits = re.sub(r"\D", "", to_western_digits(run))
    return bool(
        (run.startswith("+") and len(digits) >= 8)
        or _NATIONAL_ID.fullmatch(digits)
        or _MOBILE.fullmatch(digits)
        or _LANDLINE.fullmatch(digits)
        or len(digits) >= 13
    )


def personal_data_in(text: str) -> bool:
    """True when the text holds a national ID, a phone number or an e-mail address."""
    return bool(_EMAIL.search(text)) or any(
        _personal(m.group()) for m in _DIGIT_RUN.finditer(text)
    )


def sms_safe(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with national IDs, phone numbers, e-mail addresses and the given
    names replaced by an ellipsis."""
    safe = _EMAIL.sub(REDACTED, text)
    safe = _DIGIT_RUN.sub(
        lambda m: REDACTED if _personal(m.group()) else m.group(), safe
    )
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len)[::-1]:
        safe = re.sub(re.escape(name), REDACTED, safe, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", safe).strip()
