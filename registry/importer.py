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
import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lms.accounts.digits import to_western_digits
from lms.accounts.national_id import governorates, parse_national_id
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


def open_rows(path: Path) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    """(estimated data rows, iterator of (row number, {column: raw value}))."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _count_lines(path), _csv_rows(path, detect_encoding(path))
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_rows(path)
    raise ImportFileError("Use a .csv or .xlsx file / استخدم ملف ‎.csv أو ‎.xlsx")


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise ImportFileError("The file is empty / الملف فارغ")
        yield from _mapped(map_header(header), reader)


def _xlsx_rows(path: Path) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for bad files
        raise ImportFileError(
            "Not a readable XLSX file / ملف XLSX غير قابل للقراءة"
        ) from exc
    sheet = workbook.worksheets[0]
    total = max((sheet.max_row or 1) - 1, 0)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            values = sheet.iter_rows(values_only=True)
            header = next(values, None)
            if not header:
                raise ImportFileError("The file is empty / الملف فارغ")
            yield from _mapped(map_header(list(header)), values)
        finally:
            workbook.close()

    return total, rows()


def _mapped(
    columns: list[str | None], rows: Iterable[Iterable[Any]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    positions = [(i, c) for i, c in enumerate(columns) if c]
    for number, row in enumerate(rows, start=2):
        values = list(row)
        if not any(v not in (None, "") for v in values):
            continue
        yield (
            number,
            {column: values[i] if i < len(values) else None for i, column in positions},
        )


# --- Validation -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoodRow:
    row: int
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

    @property
    def key(self) -> tuple[str, int, int, dt.date]:
        return (
            self.national_id,
            self.occupation_id,
            self.skill_level_id,
            self.issue_date,
        )


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
            row=number,
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
    number = int.from_bytes(secrets.token_bytes(8), "big")
    parts = []
    total = 0
    for table in _PAIR_TABLES:
        number, x = divmod(number, _PAIR)
        text, weight = table[x]
        parts.append(text)
        total += weight
    return "".join(parts) + ALPHABET[(-total * _INVERSE) % _BASE]


def _digest(rows: list[GoodRow]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(
            f"{r.national_id}|{r.occupation_id}|{r.skill_level_id}|{r.issue_date}|"
            f"{r.full_name_ar}|{r.full_name_en}|{r.issuing_directorate}|{r.legacy_number}\n".encode()
        )
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
_UPSERT_SQL = """
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
RETURNING (xmax = 0), serial
"""


class BatchWriter:
    """Upserts batches of good rows: one transaction and one audit entry each."""

    def __init__(self, *, actor_id: int | None, label: str) -> None:
        self.actor_id = actor_id
        self.label = label
        self.batch_no = 0
        self.postgres = connection.vendor == "postgresql"

    def write(self, rows: list[GoodRow]) -> tuple[int, int, int]:
        """(inserted, updated, unchanged) for one batch."""
        unique = list({r.key: r for r in rows}.values())  # a later row wins
        self.batch_no += 1
        for attempt in range(3):
            try:
                with transaction.atomic():
                    if self.postgres:
                        inserted, updated_serials = self._write_postgres(unique)
                    else:
                        inserted, updated_serials = self._write_generic(unique)
                    audit_append(
                        action="import.batch",
                        actor_id=self.actor_id,
                        object_ref=self.label[:60],
                        data={
                            "batch": self.batch_no,
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
        unchanged = len(rows) - inserted - len(updated_serials)
        return inserted, len(updated_serials), unchanged

    def _write_postgres(self, rows: list[GoodRow]) -> tuple[int, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS registry_import_stage ("
                "serial text, national_id text, full_name_ar text, full_name_en text,"
                " birth_date date, gender text, governorate_code text,"
                " occupation_id bigint, skill_level_id bigint,"
                " issuing_directorate text, issue_date date, legacy_number text)"
                " ON COMMIT DELETE ROWS"
            )
            raw = cursor.cursor  # psycopg 3 cursor for COPY
            with raw.copy(
                f"COPY registry_import_stage ({', '.join(_STAGE_COLUMNS)}) FROM STDIN"
            ) as copy:
                for r in rows:
                    copy.write_row(
                        (
                            fast_serial(),
                            r.national_id,
                            r.full_name_ar,
                            r.full_name_en,
                            r.birth_date,
                            r.gender,
                            r.governorate_code,
                            r.occupation_id,
                            r.skill_level_id,
                            r.issuing_directorate,
                            r.issue_date,
                            r.legacy_number,
                        )
                    )
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
            results = cursor.fetchall()
        inserted = sum(1 for was_insert, _s in results if was_insert)
        updated = [serial for was_insert, serial in results if not was_insert]
        return inserted, updated

    def _write_generic(self, rows: list[GoodRow]) -> tuple[int, list[str]]:
        existing = {
            (c.national_id, c.occupation_id, c.skill_level_id, c.issue_date): c
            for c in Certificate.objects.filter(
                national_id__in={r.national_id for r in rows}
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
            current = existing.get(r.key)
            if current is None:
                new.append(
                    Certificate(
                        serial=fast_serial(),
                        national_id=r.national_id,
                        full_name_ar=r.full_name_ar,
                        full_name_en=r.full_name_en,
                        birth_date=r.birth_date,
                        gender=r.gender,
                        governorate_code=r.governorate_code,
                        occupation_id=r.occupation_id,
                        skill_level_id=r.skill_level_id,
                        issuing_directorate=r.issuing_directorate,
                        issue_date=r.issue_date,
                        legacy_number=r.legacy_number,
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


def import_file(
    path: Path,
    *,
    actor_id: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[ImportResult, int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> ImportResult:
    """Import one file; raise ImportFileError only when the file itself is unusable."""
    estimated, rows = open_rows(path)
    validator = RowValidator()
    writer = BatchWriter(actor_id=actor_id, label=f"import:{path.name}")
    result = ImportResult()
    batch: list[GoodRow] = []
    # On PostgreSQL (outside a caller's transaction) a second thread writes batch N
    # while this one parses batch N+1: the database and Python overlap.
    executor = (
        ThreadPoolExecutor(max_workers=1)
        if connection.vendor == "postgresql" and not connection.in_atomic_block
        else None
    )
    pending: list[Future] = []

    def add(counts: tuple[int, int, int]) -> None:
        result.inserted += counts[0]
        result.updated += counts[1]
        result.unchanged += counts[2]

    def flush(*, final: bool = False) -> None:
        if batch:
            rows_now = batch.copy()
            batch.clear()
            if executor is None:
                add(writer.write(rows_now))
            else:
                while pending:
                    add(pending.pop().result())
                pending.append(executor.submit(writer.write, rows_now))
        if final:
            while pending:
                add(pending.pop().result())
        if on_progress:
            on_progress(result, estimated)

    try:
        for number, raw in rows:
            result.total += 1
            checked = validator.validate(number, raw)
            if isinstance(checked, GoodRow):
                batch.append(checked)
                if len(batch) >= batch_size:
                    flush()
                continue
            result.rejected += 1
            for rejection in checked:
                if len(result.rejections) < MAX_STORED_REJECTIONS:
                    result.rejections.append(rejection)
                if on_rejection:
                    on_rejection(rejection)
        flush(final=True)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file's encoding is not UTF-8 or Windows-1256 / ترميز الملف غير مدعوم"
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(f"Malformed CSV / ملف CSV تالف: {exc}") from exc
    finally:
        if executor is not None:
            for future in pending:
                future.cancel()
            executor.submit(lambda: connection.close()).result()
            executor.shutdown()
    return result


def rejections_csv(rejections: Iterable[Rejection]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "reason_en", "reason_ar"])
    for rejection in rejections:
        d = rejection.as_dict()
        writer.writerow([d["row"], d["column"], d["reason_en"], d["reason_ar"]])
    return buffer.getvalue()
