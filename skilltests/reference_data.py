"""The test centres' reference data: two CSV files the ministry maintains.

`test_centres.csv`: code, governorate_code, name_ar, name_en, address_ar,
address_en, latitude, longitude, phone, is_active (1/0).
`workshops.csv`: centre_code, code, name_ar, name_en, seats, occupations (unified
codes separated by spaces), is_active.

Parsing checks every row and names every problem before anything is written;
`apply` upserts by code with whichever model classes it is given (the data
migration passes its historical models, `load_test_centres` the real ones). Rows
missing from a file are left as they are: retire a centre with is_active=0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lms.accounts.national_id import governorates
from lms.kernel.digits import to_western_digits
from skilltests.models.centres import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MAX_WORKSHOP_SEATS,
)

REFERENCE_DIR = Path(__file__).with_name("reference")
CENTRES_CSV = REFERENCE_DIR / "test_centres.csv"
WORKSHOPS_CSV = REFERENCE_DIR / "workshops.csv"
CENTRE_FIELDS = (
    "code",
    "governorate_code",
    "name_ar",
    "name_en",
    "address_ar",
    "address_en",
    "latitude",
    "longitude",
    "phone",
    "is_active",
)
WORKSHOP_FIELDS = (
    "centre_code",
    "code",
    "name_ar",
    "name_en",
    "seats",
    "occupations",
    "is_active",
)


class ReferenceDataError(ValueError):
    """The files hold problems: `problems` names each (file, line, what)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    centres_created: int = 0
    centres_updated: int = 0
    workshops_created: int = 0
    workshops_updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _rows(path: Path, fields: tuple[str, ...], problems: list[str]) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in fields if f not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path.name}: missing columns {', '.join(missing)}")
            return []
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _flag(value: str) -> bool:
    return value.lower() not in ("0", "false", "no", "لا")


def _decimal(value: str, low: float, high: float) -> Decimal | None:
    try:
        number = Decimal(to_western_digits(value))
    except InvalidOperation:
        return None
    return number if low <= number <= high else None


def parse(
    *, centres_path: Path, workshops_path: Path, occupation_codes: set[str]
) -> tuple[list[dict], list[dict]]:
    """Checked rows of both files (values converted), or ReferenceDataError."""
    problems: list[str] = []
    known = {c for c in governorates() if c != "88"}
    centres = []
    for line, row in enumerate(_rows(centres_path, CENTRE_FIELDS, problems), start=2):
        where = f"{centres_path.name}:{line}"
        lat = _decimal(row.get("latitude", ""), *LATITUDE_RANGE)
        lon = _decimal(row.get("longitude", ""), *LONGITUDE_RANGE)
        if not row.get("code"):
            problems.append(f"{where}: no code")
        if row.get("governorate_code") not in known:
            problems.append(
                f"{where}: unknown governorate {row.get('governorate_code')}"
            )
        if lat is None or lon is None:
            problems.append(f"{where}: coordinates outside Egypt")
        if not (row.get("name_ar") and row.get("address_ar")):
            problems.append(f"{where}: Arabic name and address are required")
        centres.append(
            {
                **row,
                "latitude": lat,
                "longitude": lon,
                "is_active": _flag(row.get("is_active", "1")),
            }
        )
    codes = [c["code"] for c in centres]
    if len(codes) != len(set(codes)):
        problems.append(f"{centres_path.name}: a centre code is given twice")
    workshops = []
    rows = _rows(workshops_path, WORKSHOP_FIELDS, problems)
    for line, row in enumerate(rows, start=2):
        where = f"{workshops_path.name}:{line}"
        seats = to_western_digits(row.get("seats", ""))
        occupations = row.get("occupations", "").split()
        if row.get("centre_code") not in codes:
            problems.append(f"{where}: unknown centre {row.get('centre_code')}")
        if not seats.isdigit() or not 1 <= int(seats) <= MAX_WORKSHOP_SEATS:
            problems.append(f"{where}: seats must be 1 to {MAX_WORKSHOP_SEATS}")
        unknown = [c for c in occupations if c not in occupation_codes]
        if not occupations or unknown:
            problems.append(f"{where}: unknown occupations {' '.join(unknown) or '-'}")
        workshops.append(
            {
                **row,
                "seats": int(seats) if seats.isdigit() else 0,
                "occupations": occupations,
                "is_active": _flag(row.get("is_active", "1")),
            }
        )
    keys = [(w["centre_code"], w["code"]) for w in workshops]
    if len(keys) != len(set(keys)):
        problems.append(f"{workshops_path.name}: a workshop code is given twice")
    if problems:
        raise ReferenceDataError(problems)
    return centres, workshops


def apply(
    centres: list[dict],
    workshops: list[dict],
    *,
    centre_model: Any,
    workshop_model: Any,
    occupation_ids: dict[str, int],
) -> LoadReport:
    """Upsert the parsed rows (call inside a transaction); `occupation_ids` maps
    each unified code to its row's id."""
    report = LoadReport()
    by_code = {}
    for row in centres:
        values = {f: row[f] for f in CENTRE_FIELDS if f != "code"}
        centre, created = centre_model.objects.get_or_create(
            code=row["code"], defaults=values
        )
        if created:
            report.centres_created += 1
        elif _changed(centre, values):
            report.centres_updated += 1
        else:
            report.unchanged += 1
        by_code[row["code"]] = centre
    for row in workshops:
        values = {f: row[f] for f in ("name_ar", "name_en", "seats", "is_active")}
        workshop, created = workshop_model.objects.get_or_create(
            centre=by_code[row["centre_code"]], code=row["code"], defaults=values
        )
        wanted = {occupation_ids[c] for c in row["occupations"]}
        had = set(workshop.occupations.values_list("pk", flat=True))
        if created:
            report.workshops_created += 1
        elif _changed(workshop, values) or had != wanted:
            report.workshops_updated += 1
        else:
            report.unchanged += 1
        if had != wanted:
            workshop.occupations.set(wanted)
    return report


def _changed(instance: Any, values: dict) -> bool:
    changed = [k for k, v in values.items() if getattr(instance, k) != v]
    if changed:
        for key in changed:
            setattr(instance, key, values[key])
        instance.save(update_fields=changed)
    return bool(changed)
