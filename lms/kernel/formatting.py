"""Numbers as the interface writes them: the one formatting layer (issue 20).

One digit system per language: Western digits (0-9) in English and in Arabic alike
(the README says why), "." before decimals, "," between thousands, so a score, a pass
mark, a size and a duration read the same on every page, in e-mails, PDFs and the
offline app. Durations and counts take the language's plural forms (Arabic has six:
"دقيقة واحدة", "دقيقتان", "10 دقائق", "11 دقيقة"). Typed numbers go the other way
through `lms.kernel.digits.to_western_digits`. Templates use the same functions as
filters: `{% load formatting %}` then `|number`, `|percent`, `|file_size`, `|minutes`,
`|hours`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from lms.kernel.digits import to_western_digits

Number = int | float | Decimal | str


def _decimal(value: Number | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(to_western_digits(str(value)))
    except InvalidOperation:
        return None


def number(value: Number | None, decimals: int = 1) -> str:
    """`1234.50` → "1,234.5": at most `decimals` places, trailing zeros dropped."""
    amount = _decimal(value)
    if amount is None:
        return ""
    # half up, as the offline app's JavaScript rounds: the same size on both sides
    amount = amount.quantize(Decimal(1).scaleb(-max(decimals, 0)), ROUND_HALF_UP)
    text = f"{amount:,.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def percent(value: Number | None, decimals: int = 1) -> str:
    """`Decimal("60.00")` → "60%" (never "60,00%")."""
    shown = number(value, decimals)
    return f"{shown}%" if shown else ""


def file_size(size_bytes: Number | None) -> str:
    """`1_250_000` → "1.3 MB" / "1.3 ميجابايت": one way of writing sizes everywhere
    (the offline app's sizes come from the same words, lms/pwa)."""
    amount = _decimal(size_bytes)
    if amount is None:
        return ""
    size = int(amount)
    if size >= 1_000_000:
        n = size / 1_000_000
        return gettext("%(n)s MB") % {"n": number(n)}
    n = max(size / 1_000, 0.1) if size else 0
    return gettext("%(n)s KB") % {"n": number(n)}


def minutes(value: Number | None) -> str:
    """`10` → "10 minutes" / "10 دقائق" (the language's plural form)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    n = int(amount)
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": number(n)}


def hours(value: Number | None) -> str:
    """`2` → "2 hours" / "ساعتان"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    n = int(amount)
    return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": number(n)}


def joined(items: object) -> str:
    """A list as the language writes one: "a, b" / "أ، ب"."""
    separator = pgettext("list separator", ", ")
    return separator.join(str(item) for item in items or ())  # type: ignore[attr-defined]


def day_and_time(value: datetime | None, year: bool = False) -> str:
    """ "Friday 4 December, 18:00" / "الجمعة 4 ديسمبر، 18:00" (Cairo time if aware)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    day = date_format(local, "l j F Y" if year else "l j F")
    return pgettext("day and time", "%(day)s, %(time)s") % {
        "day": day,
        "time": date_format(local, "H:i"),
    }
