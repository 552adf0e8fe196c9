"""`--reuse-db` (pyproject.toml) without stale databases.

pytest-django keeps the test database between runs and Django migrates it forward
(new migrations are applied). That is not enough on its own: an edited or removed
migration, another branch or an upgraded dependency leaves a schema the code does not
have, and a run killed in the middle of a transactional test leaves its rows (or an
empty page tree) for the next run. So the database records the digest of the
migrations it was built from, whether the last run that used it ended, and how many
rows it held then (the migrated data, put back by tests/conftest.py at the end of a
run); when any of them does not match, tests/conftest.py has pytest-django build it
afresh. The record lives
in the database itself: two checkouts that share a database name cannot vouch for each
other's copy.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

ROOT = Path(__file__).resolve().parents[1]
STATE_TABLE = "test_suite_database_state"  # not a model: flush leaves it alone
_SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "test-artifacts"}


def migrations_digest(root: Path = ROOT) -> str:
    """Changes whenever a migration (ours or a locked dependency's) could change."""
    digest = hashlib.sha256((root / "requirements-dev.lock").read_bytes())
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS]
        if Path(folder).name == "migrations":
            found += [Path(folder, f) for f in files if f.endswith(".py")]
    for path in sorted(found):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def is_kept(connection: BaseDatabaseWrapper) -> bool:
    """Whether this database's test copy outlives the run (not SQLite in memory)."""
    creation = connection.creation
    return not (
        connection.vendor == "sqlite"
        and creation.is_in_memory_db(creation._get_test_db_name())
    )


def reusable(connection: BaseDatabaseWrapper) -> bool:
    """The kept test database exists, was built from these migrations and was left
    by a run that ended."""
    name = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and not Path(name).exists():
        return False
    probe = connection.copy()
    probe.settings_dict["NAME"] = name
    try:
        with probe.cursor() as cursor:
            cursor.execute(f"SELECT digest, clean, row_count FROM {STATE_TABLE}")
            state = cursor.fetchall()
            held = _row_count(probe, cursor)
    except DatabaseError:  # no such database or table: built before this check
        return False
    finally:
        probe.close()
    return [(digest, bool(clean), count) for digest, clean, count in state] == [
        (migrations_digest(), True, held)
    ]


def _row_count(connection: BaseDatabaseWrapper, cursor) -> int:
    """Rows in every table but the state table: the migrated data a run must leave."""
    total = 0
    for table in connection.introspection.table_names(cursor):
        if table != STATE_TABLE:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            total += cursor.fetchone()[0]
    return total


def record(connection: BaseDatabaseWrapper, *, clean: bool) -> None:
    """Note the migrations the test database was built from and whether the run
    using it has ended (set to False while tests run)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {STATE_TABLE} (digest varchar(64) NOT NULL, "
            "clean boolean NOT NULL, row_count bigint NOT NULL)"
        )
        count = _row_count(connection, cursor)
        cursor.execute(
            f"INSERT INTO {STATE_TABLE} (digest, clean, row_count) VALUES (%s, %s, %s)",
            [migrations_digest(), clean, count],
        )
