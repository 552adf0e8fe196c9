"""Row checks: a raw row becomes a PaperRecord, or the reasons it is rejected.

One implementation, fast at volume: every column but the name is looked up in a cache
of the values already seen (a file holds few distinct dates, codes and levels, and ID
prefixes repeat), so the common row costs a handful of dictionary look-ups; the
national-ID rules are lms.accounts.national_id's (its NationalIdReader, and
parse_national_id for any other spelling, which also says what is wrong).

Rules: national ID valid; Arabic name given; names and paper number within the model's
lengths; occupation by code; level by code, rank or name; issue date YYYY-MM-DD or
DD/MM/YYYY in any digits, not in the future nor before 1950, the holder at least 14
on it, and not before the occupation was introduced; governorate code, when given,
a known one (it defaults to the ID's); the holder's governorate (from the ID) within
the uploader's directorate; no cell a spreadsheet error value (#N/A ...) or a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lms.accounts.national_id import (
    NationalIdReader,
    governorates,
    parse_national_id,
)
from lms.kernel.digits import to_western_digits
from registry.data import PaperRecord
from registry.importer.reading import COLUMNS, normalize_header
from registry.selectors import occupation_list, skill_level_list

MIN_ISSUE_DATE = dt.date(1950, 1, 1)
MIN_AGE_AT_ISSUE_YEARS = 14
# The certificate model's max_length of each free-text column.
MAX_NAME_LENGTH = 150
MAX_LEGACY_LENGTH = 50

# Reasons, always in both languages: the report goes to people reading either. The
# national ID's come from its own rules (lms.accounts.national_id), in each language.
REASONS: dict[str, tuple[str, str]] = {
    "required": ("This value is required.", "هذه القيمة مطلوبة."),
    "occupation": ("Unknown occupation code.", "كود المهنة غير معروف."),
    "level": (
        "Unknown skill level (use its code, rank or Arabic name).",
        "مستوى المهارة غير معروف (استخدم الكود أو الترتيب أو الاسم العربي).",
    ),
    "date_format": (
        "Write the date as YYYY-MM-DD or DD/MM/YYYY.",
        "اكتب التاريخ بالصيغة YYYY-MM-DD أو DD/MM/YYYY.",
    ),
    "date_future": ("The issue date is in the future.", "تاريخ الإصدار في المستقبل."),
    "date_too_old": ("The issue date is before 1950.", "تاريخ الإصدار قبل عام 1950."),
    "date_too_young": (
        "The holder was younger than 14 on the issue date.",
        "كان عمر الحامل أقل من 14 عامًا في تاريخ الإصدار.",
    ),
    "governorate_code": ("Unknown governorate code.", "كود المحافظة غير معروف."),
    "too_long": ("The value is too long.", "القيمة أطول من المسموح."),
    "date_before_occupation": (
        "The issue date is before this occupation was introduced.",
        "تاريخ الإصدار سابق لبدء العمل بهذه المهنة.",
    ),
    "excel_error": (
        "The cell holds a spreadsheet error value (e.g. #N/A), not data.",
        "الخلية تحتوي على قيمة خطأ من برنامج الجداول (مثل ‎#N/A) وليست بيانات.",
    ),
    "formula": (
        "The cell holds a formula; put its value instead.",
        "الخلية تحتوي على معادلة؛ ضع قيمتها بدلًا منها.",
    ),
    "other_directorate": (
        "The holder's governorate is outside your directorate.",
        "محافظة الحامل خارج نطاق مديريتك.",
    ),
    "duplicate": (
        "The same record (national ID, occupation, level, issue date) is given "
        "again; only its first row is imported.",
        "السجل نفسه (الرقم القومي والمهنة والمستوى وتاريخ الإصدار) مكرر؛ يُستورد "
        "أول صف له فقط.",
    ),
}
# What spreadsheets write in a cell whose formula failed.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}
    | {"#CALC!", "#GETTING_DATA", "#N/A!"}
)


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    code: str
    reason_en: str
    reason_ar: str

    @classmethod
    def of(cls, row: int, column: str, code: str) -> Rejection:
        en, ar = REASONS.get(code, (code, code))
        return cls(row, column, code, en, ar)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "reason_en": self.reason_en,
            "reason_ar": self.reason_ar,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date:
    """A cell as a date: a date or datetime as is; text YYYY-MM-DD or DD/MM/YYYY
    (a few near spellings too), any digits. ValueError if it is none of them."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    text = to_western_digits(raw).replace("\\", "/")
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        if len(text) == 10 and text[2] == "/" and text[5] == "/":
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    except ValueError:
        raise ValueError(raw) from None
    for fmt in ("%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _date_int(value: dt.date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _both_languages(check: Callable[[], object]) -> tuple[str, str]:
    """The ValidationError `check` raises, in English and in Arabic."""
    messages = []
    for language in ("en", "ar"):
        with translation.override(language):
            try:
                check()
            except ValidationError as exc:
                messages.append(" ".join(exc.messages))
    return messages[0], messages[1]


def _cached(table: dict[Any, Any], raw: Any, compute: Callable[[Any], Any]) -> Any:
    try:
        return table[raw]
    except KeyError:
        value = table[raw] = compute(raw)
        return value
    except TypeError:  # unhashable: not worth keeping
        return compute(raw)


class RowValidator:
    """Checks the rows of one file (its columns as mapped from the header) against the
    reference data, read once per import."""

    def __init__(
        self,
        columns: list[str | None],
        *,
        today: dt.date | None = None,
        governorates_allowed: frozenset[str] | None = None,
    ) -> None:
        self.today = today or timezone.localdate()
        # None: every governorate (the head office); else the directorate's only.
        self._allowed = governorates_allowed
        self._ids = NationalIdReader(today=self.today)
        self._governorates = set(governorates())
        occupations = occupation_list()
        self._occupation_ids = {o.code: o.id for o in occupations}
        self._introduced = {
            o.id: _date_int(o.introduced_on or MIN_ISSUE_DATE) for o in occupations
        }
        self._level_ids: dict[str, int] = {}
        for level in skill_level_list():
            for alias in (level.code, str(level.rank), level.name_ar, level.name_en):
                self._level_ids[normalize_header(alias)] = level.id
        position = {c: i for i, c in enumerate(columns) if c}
        absent = len(columns)  # an absent optional column reads the padding: None
        self.positions = tuple(position.get(c, absent) for c in COLUMNS)
        self.width = max(self.positions) + 1
        self._occupations: dict[Any, int | None] = {}
        self._levels: dict[Any, int | None] = {}
        self._dates: dict[Any, tuple[dt.date, int] | str] = {}
        self._directorates: dict[Any, str | None] = {}
        self._id_reasons: dict[tuple[str, ...], tuple[str, str]] = {}

    def validate(self, number: int, values: list[Any]) -> PaperRecord | list[Rejection]:
        """The row as a record, or every reason it is rejected (row `number`)."""
        if len(values) < self.width:
            values = [*values, *[None] * (self.width - len(values))]
        p = self.positions
        problems: list[Rejection] = []
        for raw in values:
            if type(raw) is str and raw and raw[0] in "=#":
                problems = self._artefacts(number, values)
                if problems:
                    return problems
                break
        raw = values[p[0]]
        nid = raw.strip() if type(raw) is str else _text(raw)
        holder = self._ids.fields(nid)
        if holder is None:
            nid, holder = self._national_id(number, nid, problems)
        raw = values[p[1]]
        name_ar = raw.strip() if type(raw) is str else _text(raw)
        raw = values[p[2]]
        name_en = raw.strip() if type(raw) is str else _text(raw)
        raw = values[p[7]]
        legacy = raw.strip() if type(raw) is str else _text(raw)
        if not name_ar:
            problems.append(Rejection.of(number, "full_name_ar", "required"))
        elif len(name_ar) > MAX_NAME_LENGTH:
            problems.append(Rejection.of(number, "full_name_ar", "too_long"))
        if len(name_en) > MAX_NAME_LENGTH:
            problems.append(Rejection.of(number, "full_name_en", "too_long"))
        if len(legacy) > MAX_LEGACY_LENGTH:
            problems.append(Rejection.of(number, "legacy_number", "too_long"))
        # The per-value caches, inline: this runs a million times per import.
        raw = values[p[3]]
        try:
            occupation_id = self._occupations[raw]
        except (KeyError, TypeError):
            occupation_id = _cached(self._occupations, raw, self._occupation)
        if occupation_id is None:
            problems.append(Rejection.of(number, "occupation_code", "occupation"))
        raw = values[p[4]]
        try:
            level_id = self._levels[raw]
        except (KeyError, TypeError):
            level_id = _cached(self._levels, raw, self._level)
        if level_id is None:
            problems.append(Rejection.of(number, "skill_level", "level"))
        raw = values[p[5]]
        try:
            issued = self._dates[raw]
        except (KeyError, TypeError):
            issued = _cached(self._dates, raw, self._date)
        if isinstance(issued, str):
            problems.append(Rejection.of(number, "issue_date", issued))
        elif occupation_id is not None and issued[1] < self._introduced[occupation_id]:
            problems.append(
                Rejection.of(number, "issue_date", "date_before_occupation")
            )
        elif holder is not None:
            born = holder[0]
            if issued[1] < born.year * 10000 + born.month * 100 + born.day + _ADULT:
                problems.append(Rejection.of(number, "issue_date", "date_too_young"))
        raw = values[p[6]]
        try:
            directorate = self._directorates[raw]
        except (KeyError, TypeError):
            directorate = _cached(self._directorates, raw, self._directorate)
        if directorate is None:
            problems.append(
                Rejection.of(number, "governorate_code", "governorate_code")
            )
        if holder is not None and self._allowed is not None:
            if holder[2] not in self._allowed:
                problems.append(
                    Rejection.of(number, "national_id", "other_directorate")
                )
        if problems or holder is None:
            return problems
        born, gender, governorate = holder
        return _record(
            (
                nid,
                name_ar,
                name_en,
                born,
                gender,
                governorate,
                occupation_id,
                level_id,
                directorate or governorate,
                issued[0],
                legacy,
            )
        )

    def _artefacts(self, number: int, values: list[Any]) -> list[Rejection]:
        """Each mapped cell holding a spreadsheet error value or a formula."""
        problems = []
        for column, position in zip(COLUMNS, self.positions, strict=True):
            raw = values[position]
            code = _spreadsheet_artefact(raw) if type(raw) is str else ""
            if code:
                problems.append(Rejection.of(number, column, code))
        return problems

    def _national_id(
        self, number: int, text: str, problems: list[Rejection]
    ) -> tuple[str, tuple[dt.date, str, str] | None]:
        """Any other spelling (Eastern digits, dashes ...), or why it is refused."""
        try:
            holder = parse_national_id(text, today=self.today)
        except ValidationError as exc:
            code = exc.code or "national_id"
            said = (code, *exc.messages)  # the message names what differs (a count)
            try:
                en, ar = self._id_reasons[said]
            except KeyError:
                en, ar = self._id_reasons[said] = _both_languages(
                    lambda: parse_national_id(text, today=self.today)
                )
            problems.append(Rejection(number, "national_id", code, en, ar))
            return text, None
        return holder.value, (holder.birth_date, holder.gender, holder.governorate.code)

    def _occupation(self, raw: Any) -> int | None:
        return self._occupation_ids.get(to_western_digits(_text(raw)))

    def _level(self, raw: Any) -> int | None:
        return self._level_ids.get(normalize_header(to_western_digits(_text(raw))))

    def _date(self, raw: Any) -> tuple[dt.date, int] | str:
        """(date, YYYYMMDD) or the code of what is wrong with it."""
        if raw is None or raw == "" or (type(raw) is str and not raw.strip()):
            return "required"
        try:
            issued = parse_date(raw)
        except ValueError:
            return "date_format"
        if issued > self.today:
            return "date_future"
        if issued < MIN_ISSUE_DATE:
            return "date_too_old"
        return issued, _date_int(issued)

    def _directorate(self, raw: Any) -> str | None:
        """The governorate code ('' when not given), or None when unknown."""
        directorate = to_western_digits(_text(raw))
        if directorate.isdigit() and len(directorate) == 1:
            directorate = "0" + directorate
        if directorate and directorate not in self._governorates:
            return None
        return directorate


def _spreadsheet_artefact(raw: str) -> str:
    """'formula' or 'excel_error' for a cell that holds one, else ''."""
    text = raw.strip()
    if text.startswith("="):
        return "formula"
    if text.upper() in EXCEL_ERRORS:
        return "excel_error"
    return ""


# A PaperRecord from a tuple of its fields, without NamedTuple's Python-level __new__.
_record = partial(tuple.__new__, PaperRecord)

# Born on YYYYMMDD, the holder is MIN_AGE_AT_ISSUE_YEARS on YYYYMMDD + this (also for
# 29 February: the 28th of a common year comes before the 29th).
_ADULT = MIN_AGE_AT_ISSUE_YEARS * 10000
