"""The Egyptian national ID (الرقم القومي): parse, validate, mask.

Format `C YYMMDD GG SSSS K`: century digit, birth date, governorate of birth
registration, serial (its last digit gives gender: odd male, even female) and a check
digit that no published algorithm defines, so it is never used to reject an ID.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.kernel.digits import to_western_digits

NATIONAL_ID_LENGTH = 14
_SEPARATORS = re.compile(r"[\s\-\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CENTURIES = {"2": 1900, "3": 2000}
_GOVERNORATES_CSV = Path(__file__).with_name("data") / "governorates.csv"
# Western, Eastern-Arabic and Persian digits (people type all three): \d is Unicode.
_ID_IN_TEXT = re.compile(r"(?<!\d)[23\u0662\u0663\u06f2\u06f3]\d{13}(?!\d)")


class Gender:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Governorate:
    code: str
    name_en: str
    name_ar: str


@dataclass(frozen=True)
class NationalIdData:
    """What a valid national ID says about its holder."""

    value: str
    birth_date: dt.date
    gender: str
    governorate: Governorate
    serial: str

    @property
    def masked(self) -> str:
        return mask_national_id(self.value)


@cache
def governorates() -> dict[str, Governorate]:
    """The governorate codes of digits 8–9, from the reference data."""
    with _GOVERNORATES_CSV.open(encoding="utf-8") as fh:
        return {
            row["code"]: Governorate(row["code"], row["name_en"], row["name_ar"])
            for row in csv.DictReader(fh)
        }


def normalize_national_id(value: object) -> str:
    """Western digits with spaces, dashes and bidi marks removed; no validation."""
    if value is None:
        return ""
    return _SEPARATORS.sub("", to_western_digits(str(value)))


def parse_national_id(value: object, *, today: dt.date | None = None) -> NationalIdData:
    """Validate a national ID and return what it encodes.

    Accepts Western, Eastern-Arabic and Persian digits with surrounding or grouping
    spaces and dashes. Raises ValidationError naming what is wrong.
    """
    text = normalize_national_id(value)
    if not text:
        raise ValidationError(_("Enter the national ID."), code="required")
    if not text.isascii() or not text.isdigit():
        raise ValidationError(
            _("The national ID may contain digits only."), code="not_digits"
        )
    if len(text) != NATIONAL_ID_LENGTH:
        raise ValidationError(
            _("The national ID must be exactly 14 digits; you entered %(count)d.")
            % {"count": len(text)},
            code="length",
        )
    birth_date = _birth_date(text[:7], today or timezone.localdate())
    governorate = governorates().get(text[7:9])
    if governorate is None:
        raise ValidationError(
            _("Digits 8 and 9 of the national ID are not a governorate code."),
            code="governorate",
        )
    return NationalIdData(
        value=text,
        birth_date=birth_date,
        gender=_GENDER_BY_DIGIT[text[12]],
        governorate=governorate,
        serial=text[9:13],
    )


_GENDER_BY_DIGIT = {
    d: Gender.MALE if int(d) % 2 else Gender.FEMALE for d in "0123456789"
}


def _birth_date(head: str, today: dt.date) -> dt.date:
    """Digits 1–7 (century, year, month, day) as the holder's birth date."""
    century = _CENTURIES.get(head[0])
    if century is None:
        raise ValidationError(
            _("The first digit of the national ID (the century) must be 2 or 3."),
            code="century",
        )
    try:
        birth_date = dt.date(century + int(head[1:3]), int(head[3:5]), int(head[5:7]))
    except ValueError:
        raise ValidationError(
            _("Digits 2 to 7 of the national ID are not a real birth date."),
            code="birth_date",
        ) from None
    if birth_date > today:
        raise ValidationError(
            _("The birth date in the national ID is in the future."),
            code="birth_date_future",
        )
    return birth_date


class NationalIdReader:
    """parse_national_id for files of a million IDs (the registry import): the same
    rules, with the birth-date digits checked once per distinct value (they repeat)
    and no exception or object per ID.

    `fields` answers for an ID written as 14 Western digits, the form nearly every row
    has; None means "not that form, or refused": parse_national_id then accepts the
    other spelling or says what is wrong.
    """

    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        self._governorates = governorates()
        self._births: dict[str, dt.date | None] = {}

    def fields(self, text: str) -> tuple[dt.date, str, str] | None:
        """(birth date, gender, governorate code), or None (see the class)."""
        if len(text) != NATIONAL_ID_LENGTH or not (text.isascii() and text.isdigit()):
            return None
        if text[7:9] not in self._governorates:
            return None
        head = text[:7]
        try:
            born = self._births[head]
        except KeyError:
            born = self._births[head] = self._birth(head)
        if born is None:
            return None
        return born, _GENDER_BY_DIGIT[text[12]], text[7:9]

    def _birth(self, head: str) -> dt.date | None:
        try:
            return _birth_date(head, self.today)
        except ValidationError:
            return None


def age_years(birth_date: dt.date, today: dt.date) -> int:
    """Full years from the birth date to `today` (born 29 February: a year older on
    1 March in other years)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def validate_national_id(value: object) -> None:
    """Model/form field validator."""
    parse_national_id(value)


def mask_national_id(value: str | None) -> str:
    """`29001011234565` → `2900101******5`: birth date kept, serial hidden."""
    if not value:
        return ""
    text = normalize_national_id(value)
    if len(text) != NATIONAL_ID_LENGTH:
        return "*" * len(text)
    return f"{text[:7]}{'*' * 6}{text[-1]}"


def mask_national_id_public(value: str | None) -> str:
    """`29001011234565` → `**********4565`: what a stranger may see (verification,
    a certificate handed to an employer). Only the last four digits, enough to tell
    two holders of one name apart; no birth date or governorate, which the staff
    mask (`mask_national_id`) keeps for the directorates' work."""
    if not value:
        return ""
    text = normalize_national_id(value)
    if len(text) != NATIONAL_ID_LENGTH:
        return "*" * len(text)
    return f"{'*' * (NATIONAL_ID_LENGTH - 4)}{text[-4:]}"


def mask_national_ids_in_text(text: str) -> str:
    """Mask every national-ID-shaped number inside free text (logs, error reports)."""
    return _ID_IN_TEXT.sub(lambda m: mask_national_id(m.group(0)), text)


def account_age_check(*, birth_date: dt.date, today: dt.date | None = None) -> None:
    """Refuse (ValidationError `under_age`) a person younger than MINIMUM_AGE_YEARS."""
    years = settings.MINIMUM_AGE_YEARS
    if age_years(birth_date, today or timezone.localdate()) >= years:
        return
    raise ValidationError(
        ngettext(
            "You must be at least %(years)d year old to create an account. The "
            "national ID you entered gives %(date)s as your birth date.",
            "You must be at least %(years)d years old to create an account. The "
            "national ID you entered gives %(date)s as your birth date.",
            years,
        )
        % {"years": years, "date": formats.date_format(birth_date, "DATE_FORMAT")},
        code="under_age",
    )
