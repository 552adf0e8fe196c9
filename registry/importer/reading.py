"""Reading an import file: CSV (UTF-8, UTF-8 with BOM, Windows-1256) or XLSX, its
header in English or Arabic, rows streamed one at a time."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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

Rows = Iterator[tuple[int, list[Any]]]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


def normalize_header(text: Any) -> str:
    """Lower case, no tatweel, marks or alef variants, one space between words."""
    value = _TATWEEL_AND_MARKS.sub("", str(text or "")).strip().lower()
    return re.sub(r"[\s_\-]+", " ", value.translate(_ALEF))


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        index[normalize_header(column)] = column
        for alias in _ARABIC_HEADERS.get(column, []):
            index[normalize_header(alias)] = column
    return index


def map_header(header: list[Any]) -> list[str | None]:
    """Column name per position (None for a blank header cell); raise, before any
    row is read, naming every unknown header and every missing required column."""
    index = _header_index()
    mapped: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        text = str(cell).strip() if cell is not None else ""
        column = index.get(normalize_header(text)) if text else None
        if text and column is None:
            unknown.append(_shown(text))
        mapped.append(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in mapped]
    twice = sorted({c for c in mapped if c and mapped.count(c) > 1})
    problems = []
    if unknown:
        problems.append(
            "Unknown column(s): "
            + ", ".join(unknown)
            + " / أعمدة غير معروفة: "
            + "، ".join(unknown)
        )
    if missing:
        problems.append(
            "Missing column(s): "
            + ", ".join(missing)
            + " / أعمدة ناقصة: "
            + "، ".join(missing)
        )
    if twice:
        problems.append(
            "Column(s) given twice: "
            + ", ".join(twice)
            + " / أعمدة مكررة: "
            + "، ".join(twice)
        )
    if problems:
        raise ImportFileError(
            " — ".join(problems)
            + ". Accepted columns / الأعمدة المقبولة: "
            + ", ".join(COLUMNS)
        )
    return mapped


def _shown(text: str) -> str:
    """A header as the error names it: printable characters, at most 40."""
    cleaned = "".join(ch for ch in text if ch.isprintable())
    return cleaned[:40] or "?"


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
        # Formulas as written ("=..."), not their cached results: they are refused.
        workbook = load_workbook(path, read_only=True, data_only=False)
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


@contextmanager
def file_errors() -> Iterator[None]:
    """A file that cannot be decoded or parsed is refused as a whole."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file's encoding is not UTF-8 or Windows-1256 / ترميز الملف غير مدعوم"
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(f"Malformed CSV / ملف CSV تالف: {exc}") from exc
