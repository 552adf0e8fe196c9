"""Paper-era import: CSV (UTF-8, UTF-8 with BOM, Windows-1256) and XLSX, for volume.

Rows stream from the file, are validated one by one (a bad row is reported with its
row number, column and a reason in Arabic and English, and never stops the rest),
and good rows are upserted in batches keyed by national ID + occupation + level +
issue date: re-running the same file changes nothing. On PostgreSQL a batch goes
through COPY into a temporary table and one INSERT ... ON CONFLICT; elsewhere
through bulk_create / bulk_update.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import itertools
import queue
import re
import secrets
import struct
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lms.accounts.national_id import governorates, parse_national_id
from lms.kernel.digits import to_western_digits
from registry.audit import audit_append
from registry.cache import verification_cache_clear_many
from registry.models import (
    Certificate,
    CertificateSource,
    CertificateStatus,
    Occupation,
    SkillLevel,
)
from registry.serials import ALPHABET, BODY_LENGTH

BATCH_SIZE = 10_000
# PostgreSQL connections upserting batches side by side (0: write in the caller).
WRITER_THREADS = 2
MAX_STORED_REJECTIONS = 1000
MIN_ISSUE_DATE = dt.date(1950, 1, 1)
MIN_AGE_AT_ISSUE_YEARS = 14
COLUMNS = (
    "national_id",
    "full_name_ar",
    "full_name_en",
    "occupation_code",
    "skill_level",
    "issue_date",
    "governorate_code",
    "legacy_number",
)
REQUIRED_COLUMNS = (
    "national_id",
    "full_name_ar",
    "occupation_code",
    "skill_level",
    "issue_date",
)
_ARABIC_HEADERS = {
    "national_id": ["الرقم القومي", "رقم قومي", "الرقم القومى"],
    "full_name_ar": [
        "الاسم",
        "الاسم بالعربية",
        "الاسم العربي",
        "الاسم الكامل",
        "الاسم رباعي",
    ],
    "full_name_en": ["الاسم بالانجليزية", "الاسم الانجليزي", "الاسم باللغة الانجليزية"],
    "occupation_code": ["كود المهنة", "رمز المهنة", "المهنة"],
    "skill_level": ["مستوى المهارة", "المستوى"],
    "issue_date": ["تاريخ الاصدار", "تاريخ الشهادة"],
    "governorate_code": ["كود المحافظة", "رمز المحافظة", "المحافظة", "المديرية"],
    "legacy_number": [
        "الرقم الورقي",
        "رقم الشهادة الورقية",
        "رقم الشهادة القديم",
        "رقم السجل",
    ],
}
_TATWEEL_AND_MARKS = re.compile("[\u0640\u064b-\u065f\u200e\u200f\ufeff]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})

# Reasons, always in both languages: the report goes to people reading either.
REASONS: dict[str, tuple[str, str]] = {
    "required": ("This value is required.", "هذه القيمة مطلوبة."),
    "not_digits": (
        "The national ID may contain digits only.",
        "الرقم القومي يتكون من أرقام فقط.",
    ),
    "length": (
        "The national ID must be exactly 14 digits.",
        "يجب أن يتكون الرقم القومي من 14 رقمًا بالضبط.",
    ),
    "century": (
        "The first digit of the national ID must be 2 or 3.",
        "يجب أن يكون الرقم الأول من الرقم القومي 2 أو 3.",
    ),
    "birth_date": (
        "The national ID does not hold a real birth date.",
        "تاريخ الميلاد في الرقم القومي غير صحيح.",
    ),
    "birth_date_future": (
        "The birth date in the national ID is in the future.",
        "تاريخ الميلاد في الرقم القومي في المستقبل.",
    ),
    "governorate": (
        "Digits 8–9 of the national ID are not a governorate code.",
        "الرقمان 8 و9 من الرقم القومي ليسا كود محافظة.",
    ),
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
}
_MAX_LENGTHS = {"full_name_ar": 150, "full_name_en": 150, "legacy_number": 50}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        en, ar = REASONS.get(self.code, (self.code, self.code))
        return {
            "row": self.row,
            "column": self.column,
            "reason_en": en,
            "reason_ar": ar,
        }


@dataclass
class ImportResult:
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def good(self) -> int:
        return self.inserted + self.updated + self.unchanged


# --- Reading --------------------------------------------------------------------------


def _normalize_header(text: Any) -> str:
    value = _TATWEEL_AND_MARKS.sub("", str(text or "")).strip().lower()
    return re.sub(r"[\s_\-]+", " ", value.translate(_ALEF))


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        index[_normalize_header(column)] = column
        for alias in _ARABIC_HEADERS.get(column, []):
            index[_normalize_header(alias)] = column
    return index


def map_header(header: list[Any]) -> list[str | None]:
    """Column name per position (None if unknown); raise if a required one lacks."""
    index = _header_index()
    mapped = [index.get(_normalize_header(h)) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in mapped]
    if missing:
        raise ImportFileError(
            "Missing column(s): "
            + ", ".join(missing)
            + " / أعمدة ناقصة: "
            + "، ".join(missing)
        )
    return mapped


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the bytes decode as UTF-8, else Windows-1256."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        fh.seek(0)
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1256"
    return "utf-8"


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            count += chunk.count(b"\n")
    return count


Rows = Iterator[tuple[int, list[Any]]]


def open_rows(path: Path) -> tuple[int, list[str | None], Rows]:
    """(estimated data rows, column name per position, iterator of (row number,
    raw values)). Blank rows are skipped; row numbers count the header as 1."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, detect_encoding(path))
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_rows(path)
    raise ImportFileError("Use a .csv or .xlsx file / استخدم ملف ‎.csv أو ‎.xlsx")


def _csv_rows(path: Path, encoding: str) -> tuple[int, list[str | None], Rows]:
    fh = path.open(encoding=encoding, newline="")
    try:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise ImportFileError("The file is empty / الملف فارغ")
        columns = map_header(header)
    except BaseException:
        fh.close()
        raise

    def rows() -> Rows:
        with fh:
            # csv gives strings only: a row is blank when every value is empty.
            for number, values in enumerate(reader, start=2):
                if any(values):
                    yield number, values

    return _count_lines(path), columns, rows()


def _xlsx_rows(path: Path) -> tuple[int, list[str | None], Rows]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for bad files
        raise ImportFileError(
            "Not a readable XLSX file / ملف XLSX غير قابل للقراءة"
        ) from exc
    sheet = workbook.worksheets[0]
    total = max((sheet.max_row or 1) - 1, 0)
    values = sheet.iter_rows(values_only=True)
    try:
        header = next(values, None)
        if not header:
            raise ImportFileError("The file is empty / الملف فارغ")
        columns = map_header(list(header))
    except BaseException:
        workbook.close()
        raise

    def rows() -> Rows:
        try:
            for number, row in enumerate(values, start=2):
                if any(v not in (None, "") for v in row):
                    yield number, list(row)
        finally:
            workbook.close()

    return total, columns, rows()


def raw_row(columns: list[str | None], values: list[Any]) -> dict[str, Any]:
    """{column: raw value} for the known columns (None where the row is short)."""
    return {
        column: values[i] if i < len(values) else None
        for i, column in enumerate(columns)
        if column
    }


# --- Validation -----------------------------------------------------------------------


class GoodRow(NamedTuple):
    """A validated row, in the staging table's column order (without the serial).
    FastRowValidator returns plain tuples of the same layout."""

    national_id: str
    full_name_ar: str
    full_name_en: str
    birth_date: dt.date
    gender: str
    governorate_code: str
    occupation_id: int
    skill_level_id: int
    issuing_directorate: str
    issue_date: dt.date
    legacy_number: str


def row_key(row: tuple) -> tuple[str, int, int, dt.date]:
    """The record's identity: national ID + occupation + level + issue date."""
    return row[0], row[6], row[7], row[9]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_date_text(_text(value))


@lru_cache(maxsize=65536)
def _parse_date_text(raw: str) -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY, any digits; cached: files hold few distinct dates."""
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


class RowValidator:
    """Validates raw rows against the reference data (loaded once per import)."""

    def __init__(self, *, today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.occupations = dict(Occupation.objects.values_list("code", "id"))
        self.levels: dict[str, int] = {}
        for level in SkillLevel.objects.all():
            for alias in (level.code, str(level.rank), level.name_ar, level.name_en):
                self.levels[_normalize_header(alias)] = level.pk
        self.governorates = set(governorates())

    def validate(self, number: int, raw: dict[str, Any]) -> GoodRow | list[Rejection]:
        problems: list[Rejection] = []

        def reject(column: str, code: str) -> None:
            problems.append(Rejection(number, column, code))

        holder = None
        try:
            holder = parse_national_id(_text(raw.get("national_id")), today=self.today)
        except ValidationError as exc:
            reject("national_id", exc.code or "required")
        name_ar = _text(raw.get("full_name_ar"))
        name_en = _text(raw.get("full_name_en"))
        legacy = _text(raw.get("legacy_number"))
        if not name_ar:
            reject("full_name_ar", "required")
        for column, value in (
            ("full_name_ar", name_ar),
            ("full_name_en", name_en),
            ("legacy_number", legacy),
        ):
            if len(value) > _MAX_LENGTHS[column]:
                reject(column, "too_long")
        occupation_id = self.occupations.get(
            to_western_digits(_text(raw.get("occupation_code")))
        )
        if occupation_id is None:
            reject("occupation_code", "occupation")
        level_id = self.levels.get(
            _normalize_header(to_western_digits(_text(raw.get("skill_level"))))
        )
        if level_id is None:
            reject("skill_level", "level")
        issue_date = None
        if raw.get("issue_date") in (None, ""):
            reject("issue_date", "required")
        else:
            try:
                issue_date = _parse_date(raw["issue_date"])
            except ValueError:
                reject("issue_date", "date_format")
        if issue_date is not None:
            if issue_date > self.today:
                reject("issue_date", "date_future")
            elif issue_date < MIN_ISSUE_DATE:
                reject("issue_date", "date_too_old")
            elif (
                holder
                and issue_date.year
                - holder.birth_date.year
                - (
                    (issue_date.month, issue_date.day)
                    < (holder.birth_date.month, holder.birth_date.day)
                )
                < MIN_AGE_AT_ISSUE_YEARS
            ):
                reject("issue_date", "date_too_young")
        directorate = to_western_digits(_text(raw.get("governorate_code")))
        if directorate.isdigit() and len(directorate) == 1:
            directorate = "0" + directorate
        if directorate and directorate not in self.governorates:
            reject("governorate_code", "governorate_code")
        if problems:
            return problems
        return GoodRow(
            national_id=holder.value,
            full_name_ar=name_ar,
            full_name_en=name_en,
            birth_date=holder.birth_date,
            gender=holder.gender,
            governorate_code=holder.governorate.code,
            occupation_id=occupation_id,
            skill_level_id=level_id,
            issuing_directorate=directorate or holder.governorate.code,
            issue_date=issue_date,
            legacy_number=legacy,
        )


class FastRowValidator:
    """The same rules as RowValidator.validate for the common, well-formed row, from
    per-value caches (a file holds few distinct dates, codes and levels, and ID
    prefixes repeat): no exceptions, objects or normalising per row.

    `accept` returns the row's tuple (GoodRow's layout) or None: None means "not
    sure", and the caller runs the reference validator on that row, which either
    accepts it (an unusual but valid spelling) or says why it is rejected. So the
    fast path can never accept a row the reference would reject, nor change a value
    (tests/registry/test_import.py checks both on generated and edge-case rows).
    """

    def __init__(self, validator: RowValidator, columns: list[str | None]) -> None:
        self.v = validator
        self.today_int = _date_int(validator.today)
        position = {c: i for i, c in enumerate(columns) if c}
        self.positions = [position.get(c, -1) for c in COLUMNS]
        self.width = max(self.positions) + 1
        self._births: dict[str, tuple[dt.date, int] | None] = {}
        self._probe_governorate = min(validator.governorates)
        self._occupations: dict[Any, int | None] = {}
        self._levels: dict[Any, int | None] = {}
        self._dates: dict[Any, tuple[dt.date, int] | None] = {}
        self._directorates: dict[Any, str | None] = {}

    def accept(self, values: list[Any]) -> tuple | None:
        if len(values) < self.width:
            return None
        p = self.positions
        try:
            nid = values[p[0]].strip()
            name_ar = values[p[1]].strip()
            name_en = values[p[2]].strip() if p[2] >= 0 else ""
            legacy = values[p[7]].strip() if p[7] >= 0 else ""
        except AttributeError:  # not text (an XLSX number or date): reference path
            return None
        if not name_ar or len(name_ar) > 150 or len(name_en) > 150 or len(legacy) > 50:
            return None
        if len(nid) != 14 or not (nid.isascii() and nid.isdigit()):
            return None
        born = self._lookup(self._births, nid[:7], self._birth)
        if born is None or nid[7:9] not in self.v.governorates:
            return None
        occupation_id = self._lookup(self._occupations, values[p[3]], self._occupation)
        level_id = self._lookup(self._levels, values[p[4]], self._level)
        issued = self._lookup(self._dates, values[p[5]], self._date)
        directorate = (
            self._lookup(self._directorates, values[p[6]], self._directorate)
            if p[6] >= 0
            else ""
        )
        if (
            occupation_id is None
            or level_id is None
            or issued is None
            or directorate is None
            or issued[1] < born[1]  # younger than MIN_AGE_AT_ISSUE_YEARS
        ):
            return None
        return (
            nid,
            name_ar,
            name_en,
            born[0],
            _GENDER_BY_DIGIT[nid[12]],
            nid[7:9],
            occupation_id,
            level_id,
            directorate or nid[7:9],
            issued[0],
            legacy,
        )

    @staticmethod
    def _lookup(table: dict, raw: Any, compute: Callable[[Any], Any]) -> Any:
        try:
            return table[raw]
        except KeyError:
            value = table[raw] = compute(raw)
            return value
        except TypeError:  # unhashable: let the reference path decide
            return None

    def _birth(self, head: str) -> tuple[dt.date, int] | None:
        """(birth date, birth date + 14 years as YYYYMMDD) when the century and date
        digits pass the national ID rules (checked with a known governorate)."""
        try:
            holder = parse_national_id(
                head + self._probe_governorate + "00000", today=self.v.today
            )
        except ValidationError:
            return None
        born = holder.birth_date
        adult = (born.year + MIN_AGE_AT_ISSUE_YEARS) * 10000 + born.month * 100
        return born, adult + born.day

    def _occupation(self, raw: Any) -> int | None:
        return self.v.occupations.get(to_western_digits(_text(raw)))

    def _level(self, raw: Any) -> int | None:
        return self.v.levels.get(_normalize_header(to_western_digits(_text(raw))))

    def _date(self, raw: Any) -> tuple[dt.date, int] | None:
        if raw in (None, ""):
            return None
        try:
            issued = _parse_date(raw)
        except ValueError:
            return None
        if issued > self.v.today or issued < MIN_ISSUE_DATE:
            return None
        return issued, _date_int(issued)

    def _directorate(self, raw: Any) -> str | None:
        directorate = to_western_digits(_text(raw))
        if directorate.isdigit() and len(directorate) == 1:
            directorate = "0" + directorate
        if directorate and directorate not in self.v.governorates:
            return None
        return directorate


_GENDER_BY_DIGIT = {d: "male" if int(d) % 2 else "female" for d in "0123456789"}


def _date_int(value: dt.date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


# --- Writing --------------------------------------------------------------------------

_BASE = len(ALPHABET)
_PAIR = _BASE * _BASE
_INVERSE = pow(BODY_LENGTH + 1, -1, _BASE)
# For each pair position, every 2-symbol string with its weighted check contribution.
_PAIR_TABLES = [
    [
        (
            ALPHABET[x % _BASE] + ALPHABET[x // _BASE],
            (2 * p + 1) * (x % _BASE) + (2 * p + 2) * (x // _BASE),
        )
        for x in range(_PAIR)
    ]
    for p in range(BODY_LENGTH // 2)
]


def fast_serial() -> str:
    """serial_generate() for bulk work: one OS random draw, table look-ups."""
    return fast_serials(1)[0]


_CHECK_SYMBOL = [ALPHABET[(-t * _INVERSE) % _BASE] for t in range(_BASE)]


def fast_serials(count: int) -> list[str]:
    """`count` fresh serials: one OS random draw for all, five table look-ups each.

    64 random bits give the five symbol pairs (31^10 < 2^50, so the spread is even to
    within 2^-14) and the pairs' weights give the check symbol, as serial_generate().
    """
    t0, t1, t2, t3, t4 = _PAIR_TABLES
    pair, check = _PAIR, _CHECK_SYMBOL
    out = []
    for number in struct.unpack(f">{count}Q", secrets.token_bytes(8 * count)):
        number, a = divmod(number, pair)
        number, b = divmod(number, pair)
        number, c = divmod(number, pair)
        number, d = divmod(number, pair)
        sa, wa = t0[a]
        sb, wb = t1[b]
        sc, wc = t2[c]
        sd, wd = t3[d]
        se, we = t4[number % pair]
        out.append(f"{sa}{sb}{sc}{sd}{se}{check[(wa + wb + wc + wd + we) % _BASE]}")
    return out


def _digest(rows: list[tuple]) -> str:
    """SHA-256 of a batch's validated rows (what the audit entry vouches for)."""
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r[0]}|{r[6]}|{r[7]}|{r[9]}|{r[1]}|{r[2]}|{r[8]}|{r[10]}\n".encode())
    return h.hexdigest()


_STAGE_COLUMNS = (
    "serial",
    "national_id",
    "full_name_ar",
    "full_name_en",
    "birth_date",
    "gender",
    "governorate_code",
    "occupation_id",
    "skill_level_id",
    "issuing_directorate",
    "issue_date",
    "legacy_number",
)
_STAGE_TABLE_SQL = (
    "CREATE TEMP TABLE IF NOT EXISTS registry_import_stage ("
    "serial text, national_id text, full_name_ar text, full_name_en text,"
    " birth_date date, gender text, governorate_code text,"
    " occupation_id bigint, skill_level_id bigint,"
    " issuing_directorate text, issue_date date, legacy_number text)"
    " ON COMMIT DELETE ROWS"
)
# One statement per batch; it answers with one row: (inserted, [updated serials]).
_UPSERT_SQL = """
WITH upserted AS (
INSERT INTO registry_certificate (
    serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, source, evidence, status, created_by_id, approved_by_id,
    approved_at, revocation_reason, created_at, updated_at)
SELECT serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, %(source)s, %(evidence)s::jsonb, %(status)s, %(actor)s, %(actor)s,
    %(now)s, '', %(now)s, %(now)s
FROM registry_import_stage
ON CONFLICT (national_id, occupation_id, skill_level_id, issue_date) DO UPDATE SET
    full_name_ar = EXCLUDED.full_name_ar,
    full_name_en = EXCLUDED.full_name_en,
    issuing_directorate = EXCLUDED.issuing_directorate,
    legacy_number = EXCLUDED.legacy_number,
    updated_at = EXCLUDED.updated_at
WHERE registry_certificate.source = %(source)s
  AND (registry_certificate.full_name_ar, registry_certificate.full_name_en,
       registry_certificate.issuing_directorate, registry_certificate.legacy_number)
      IS DISTINCT FROM
      (EXCLUDED.full_name_ar, EXCLUDED.full_name_en, EXCLUDED.issuing_directorate,
       EXCLUDED.legacy_number)
RETURNING (xmax = 0) AS inserted, serial
)
SELECT count(*) FILTER (WHERE inserted),
       coalesce(array_agg(serial) FILTER (WHERE NOT inserted), '{}')
FROM upserted
"""
# COPY's text format: backslash, tab, newline and carriage return are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_lines(rows: list[tuple]) -> str:
    """The batch as COPY text, a fresh serial first on every line."""
    esc = _COPY_ESCAPES
    return "".join(
        [
            f"{serial}\t{r[0]}\t{r[1].translate(esc)}\t{r[2].translate(esc)}"
            f"\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8].translate(esc)}"
            f"\t{r[9]}\t{r[10].translate(esc)}\n"
            for serial, r in zip(fast_serials(len(rows)), rows, strict=True)
        ]
    )


class BatchWriter:
    """Upserts batches of good rows: one transaction and one audit entry each."""

    def __init__(self, *, actor_id: int | None, label: str) -> None:
        self.actor_id = actor_id
        self.label = label
        self.postgres = connection.vendor == "postgresql"

    def write(self, batch: Batch) -> tuple[int, int, int]:
        """(inserted, updated, unchanged) for one batch."""
        unique = list(batch.rows.values())
        for attempt in range(3):
            try:
                with transaction.atomic():
                    if self.postgres:
                        inserted, updated_serials = self._write_postgres(unique)
                    else:
                        inserted, updated_serials = self._write_generic(unique)
                    # Last, so the chain's lock is held only for the commit.
                    audit_append(
                        action="import.batch",
                        actor_id=self.actor_id,
                        object_ref=self.label[:60],
                        data={
                            "batch": batch.number,
                            "rows": len(unique),
                            "inserted": inserted,
                            "updated": len(updated_serials),
                            "sha256": _digest(unique),
                        },
                    )
                break
            except IntegrityError:
                # A fresh serial collided with an existing one (rare): draw again.
                if attempt == 2:
                    raise
        verification_cache_clear_many(serials=updated_serials)
        unchanged = batch.received - inserted - len(updated_serials)
        return inserted, len(updated_serials), unchanged

    def _write_postgres(self, rows: list[tuple]) -> tuple[int, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute(_STAGE_TABLE_SQL)
            # Foreign keys checked by the INSERT itself, not at commit: a concurrent
            # writer waits for the audit chain's lock only while this one commits.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raw = cursor.cursor  # psycopg 3 cursor for COPY
            with raw.copy(
                f"COPY registry_import_stage ({', '.join(_STAGE_COLUMNS)}) FROM STDIN"
            ) as copy:
                copy.write(copy_lines(rows))
            cursor.execute(
                _UPSERT_SQL,
                {
                    "source": CertificateSource.PAPER_IMPORT,
                    "evidence": '{"paper_era": true}',
                    "status": CertificateStatus.ISSUED,
                    "actor": self.actor_id,
                    "now": timezone.now(),
                },
            )
            inserted, updated = cursor.fetchone()
        return inserted, list(updated)

    def _write_generic(self, rows: list[tuple]) -> tuple[int, list[str]]:
        existing = {
            (c.national_id, c.occupation_id, c.skill_level_id, c.issue_date): c
            for c in Certificate.objects.filter(
                national_id__in={r[0] for r in rows}
            ).only(
                "id",
                "serial",
                "national_id",
                "occupation_id",
                "skill_level_id",
                "issue_date",
                "full_name_ar",
                "full_name_en",
                "issuing_directorate",
                "legacy_number",
                "source",
            )
        }
        now = timezone.now()
        new, changed = [], []
        for r in rows:
            r = GoodRow(*r)
            current = existing.get(row_key(r))
            if current is None:
                new.append(
                    Certificate(
                        serial=fast_serial(),
                        **r._asdict(),
                        source=CertificateSource.PAPER_IMPORT,
                        evidence={"paper_era": True},
                        status=CertificateStatus.ISSUED,
                        created_by_id=self.actor_id,
                        approved_by_id=self.actor_id,
                        approved_at=now,
                    )
                )
                continue
            fresh = (
                r.full_name_ar,
                r.full_name_en,
                r.issuing_directorate,
                r.legacy_number,
            )
            old = (
                current.full_name_ar,
                current.full_name_en,
                current.issuing_directorate,
                current.legacy_number,
            )
            if current.source == CertificateSource.PAPER_IMPORT and fresh != old:
                (
                    current.full_name_ar,
                    current.full_name_en,
                    current.issuing_directorate,
                    current.legacy_number,
                ) = fresh
                current.updated_at = now
                changed.append(current)
        Certificate.objects.bulk_create(new, batch_size=2000)
        Certificate.objects.bulk_update(
            changed,
            [
                "full_name_ar",
                "full_name_en",
                "issuing_directorate",
                "legacy_number",
                "updated_at",
            ],
            batch_size=2000,
        )
        return len(new), [c.serial for c in changed]


@dataclass
class Batch:
    number: int
    received: int  # rows in the file, duplicates of a record included
    rows: dict[tuple, tuple]  # record key -> row; a later row wins


class _Writers:
    """Writes batches from `count` threads, each on its own database connection, so
    PostgreSQL works on batches while the calling thread parses the next ones.

    A batch holding a record that a batch still in flight also holds waits for it
    (the later row must win); at most `count` batches are in flight.
    """

    def __init__(self, write: Callable[[Batch], tuple[int, int, int]], count: int):
        self._write = write
        self._count = count
        self._jobs: queue.Queue = queue.Queue()
        self._in_flight: list[tuple[Batch, Future]] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"registry-import-{n}")
            for n in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self, batch: Batch, done: Callable[[tuple[int, int, int]], None]
    ) -> None:
        """Queue a batch; `done` receives the counts of every batch that finished."""
        still = []
        for other, future in self._in_flight:
            if future.done() or not batch.rows.keys().isdisjoint(other.rows):
                done(future.result())  # waits when the two share a record
            else:
                still.append((other, future))
        while len(still) >= self._count:
            done(still.pop(0)[1].result())
        future: Future = Future()
        self._jobs.put((future, batch))
        self._in_flight = [*still, (batch, future)]

    def drain(self, done: Callable[[tuple[int, int, int]], None]) -> None:
        while self._in_flight:
            done(self._in_flight.pop(0)[1].result())

    def close(self) -> None:
        for _batch, future in self._in_flight:
            future.cancel()
        for _thread in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                future, batch = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(self._write(batch))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    future.set_exception(exc)
        finally:
            connection.close()


def import_file(
    path: Path,
    *,
    actor_id: int | None = None,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITER_THREADS,
    on_progress: Callable[[ImportResult, int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> ImportResult:
    """Import one file; raise ImportFileError only when the file itself is unusable."""
    with _file_errors():
        estimated, columns, rows = open_rows(path)
    validator = RowValidator()
    accept = FastRowValidator(validator, columns).accept
    writer = BatchWriter(actor_id=actor_id, label=f"import:{path.name}")
    result = ImportResult()
    batch: list[tuple] = []
    numbers = itertools.count(1)
    # On PostgreSQL (outside a caller's transaction) writer threads upsert batches
    # while this one parses the next: the database and Python overlap.
    pool = (
        _Writers(writer.write, writers)
        if connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and writers > 0
        else None
    )

    def add(counts: tuple[int, int, int]) -> None:
        result.inserted += counts[0]
        result.updated += counts[1]
        result.unchanged += counts[2]

    def flush(*, final: bool = False) -> None:
        if batch:
            unique = {row_key(r): r for r in batch}
            ready = Batch(number=next(numbers), received=len(batch), rows=unique)
            batch.clear()
            if pool is None:
                add(writer.write(ready))
            else:
                pool.submit(ready, add)
        if final and pool is not None:
            pool.drain(add)
        if on_progress:
            on_progress(result, estimated)

    try:
        with _file_errors():
            for number, values in rows:
                result.total += 1
                row = accept(values)
                if row is None:
                    checked = validator.validate(number, raw_row(columns, values))
                    if isinstance(checked, list):
                        result.rejected += 1
                        for rejection in checked:
                            if len(result.rejections) < MAX_STORED_REJECTIONS:
                                result.rejections.append(rejection)
                            if on_rejection:
                                on_rejection(rejection)
                        continue
                    row = checked
                batch.append(row)
                if len(batch) >= batch_size:
                    flush()
        flush(final=True)
    finally:
        if pool is not None:
            pool.close()
    if result.inserted + result.updated >= ANALYZE_AFTER_ROWS:
        _refresh_planner_statistics()
    return result


# After a bulk load the planner's statistics describe the old table until autovacuum
# gets round to it; meanwhile it guessed ~5,000 rows for "occupation = X" among a
# million new ones and the API's filtered list pages took 300 ms instead of 12 ms.
ANALYZE_AFTER_ROWS = 10_000


def _refresh_planner_statistics() -> None:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Certificate._meta.db_table}")


@contextmanager
def _file_errors() -> Iterator[None]:
    """A file that cannot be decoded or parsed is refused as a whole."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file's encoding is not UTF-8 or Windows-1256 / ترميز الملف غير مدعوم"
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(f"Malformed CSV / ملف CSV تالف: {exc}") from exc


REPORT_HEADER = ["row", "column", "reason_en", "reason_ar"]


class RejectionReport:
    """Every rejected row of an import, written as it is found (the result keeps only
    the first MAX_STORED_REJECTIONS): CSV in UTF-8 with a BOM, so Excel shows the
    Arabic reasons. Use as `on_rejection=report.add` inside `with`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0

    def __enter__(self) -> RejectionReport:
        self._fh = self.path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REPORT_HEADER)
        return self

    def add(self, rejection: Rejection) -> None:
        d = rejection.as_dict()
        self._writer.writerow([d["row"], d["column"], d["reason_en"], d["reason_ar"]])
        self.rows += 1

    def __exit__(self, *exc) -> None:
        self._fh.close()
