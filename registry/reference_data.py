"""Occupations and skill levels from CSV (the shipped seed or the ministry's list)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def read_occupations(path: Path | None = None) -> list[dict[str, str]]:
    with (path or DATA_DIR / "occupations.csv").open(encoding="utf-8-sig") as fh:
        return [
            {
                "code": row["code"].strip(),
                "title_en": row["title_en"].strip(),
                "title_ar": row["title_ar"].strip(),
                "trade": (row.get("trade") or "").strip(),
            }
            for row in csv.DictReader(fh)
        ]


def read_skill_levels(path: Path | None = None) -> list[dict[str, object]]:
    with (path or DATA_DIR / "skill_levels.csv").open(encoding="utf-8-sig") as fh:
        return [
            {
                "rank": int(row["rank"]),
                "code": row["code"].strip(),
                "name_ar": row["name_ar"].strip(),
                "name_en": row["name_en"].strip(),
            }
            for row in csv.DictReader(fh)
        ]
