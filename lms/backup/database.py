"""Dump, restore and count the database: PostgreSQL (pg_dump -Fc) or SQLite.

PostgreSQL: the row counts and the dump come from one exported snapshot
(``pg_export_snapshot`` + ``pg_dump --snapshot``), so on a live platform the
manifest's counts are exactly what the dump holds. SQLite (laptop default): the
online backup API copies a consistent file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import environ
import psycopg
from psycopg import sql

from lms.backup.crypto import CHUNK_BYTES
from lms.backup.errors import BackupError
from lms.backup.parts import PartWriter, Readable

_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def vendor_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def database_from_url(url: str) -> dict[str, Any]:
    """Django's settings for a database URL (the same parser settings.py uses)."""
    return environ.Env.db_url_config(url)


def _pg_params(db: dict[str, Any], dbname: str | None = None) -> dict[str, Any]:
    params = {
        "dbname": dbname or db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": str(db["PORT"]) if db.get("PORT") else None,
    }
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        params["sslmode"] = options["sslmode"]
    return {k: v for k, v in params.items() if v is not None}


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: no password on a command line."""
    names = {
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
    }
    env = dict(os.environ)
    for key, value in _pg_params(db).items():
        if key in names:
            env[names[key]] = value
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client tools "
            "(Debian: postgresql-client, the server's major version or newer)."
        )
    return path


def _pg_tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    placeholders = sql.SQL(", ").join(sql.Literal(s) for s in _SYSTEM_SCHEMAS)
    query = sql.SQL(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ({}) ORDER BY 1, 2"
    ).format(placeholders)
    return [(row[0], row[1]) for row in conn.execute(query).fetchall()]


def _pg_counts(conn: psycopg.Connection) -> dict[str, int]:
    counts = {}
    for schema, table in _pg_tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
        key = table if schema == "public" else f"{schema}.{table}"
        counts[key] = conn.execute(query).fetchone()[0]
    return counts


def _run_streaming_out(args: list[str], env: dict[str, str], sink: PartWriter) -> None:
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, env=env)
        assert process.stdout is not None
        while chunk := process.stdout.read(CHUNK_BYTES):
            sink.write(chunk)
        code = process.wait()
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"{Path(args[0]).name} failed ({code}): {message}")


def postgres_dump(db: dict[str, Any], sink: PartWriter) -> dict[str, int]:
    """Write ``pg_dump -Fc`` of the database into ``sink``; the row counts it holds."""
    pg_dump = _tool("pg_dump")
    with psycopg.connect(**_pg_params(db)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _pg_counts(conn)
            args = [pg_dump, "-Fc", f"--snapshot={snapshot}", "-d", db["NAME"]]
            _run_streaming_out(args, _pg_env(db), sink)
    return counts


def postgres_counts(db: dict[str, Any]) -> dict[str, int]:
    with psycopg.connect(**_pg_params(db)) as conn:
        return _pg_counts(conn)


def postgres_prepare(db: dict[str, Any], *, force: bool) -> None:
    """Create the target database, or empty it with ``force``; refuse otherwise."""
    name = db["NAME"]
    with psycopg.connect(**_pg_params(db, "postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with psycopg.connect(**_pg_params(db), autocommit=True) as conn:
        tables = _pg_tables(conn)
        if not tables:
            return
        if not force:
            raise BackupError(
                f"Database {name} is not empty ({len(tables)} tables): refusing to "
                "restore over it. Restore into a new database, or pass --force to "
                "replace everything in it."
            )
        schemas = {schema for schema, _table in tables} | {"public"}
        for schema in sorted(schemas):
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(schema)
                )
            )
        conn.execute("CREATE SCHEMA public")


def postgres_restore(db: dict[str, Any], source: Readable) -> None:
    """pg_restore the dump streamed from ``source``, all or nothing."""
    args = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "-d",
        db["NAME"],
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stderr=errors, env=_pg_env(db)
        )
        assert process.stdin is not None
        try:
            while chunk := source.read(CHUNK_BYTES):
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass
        except BaseException:
            process.kill()
            process.wait()
            raise
        code = process.wait()
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"pg_restore failed ({code}): {message}")


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: conn.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0]
        for name in names
    }


def sqlite_dump(source: sqlite3.Connection, sink: PartWriter, work: Path) -> dict:
    """Copy the live SQLite database with the backup API, then store the copy."""
    copy_path = work / "database.sqlite3.tmp"
    target = sqlite3.connect(copy_path)
    try:
        source.backup(target)
        counts = _sqlite_counts(target)
    finally:
        target.close()
    try:
        with copy_path.open("rb") as handle:
            sink.copy_from(handle)
    finally:
        copy_path.unlink()
    return counts


def _sqlite_path(db: dict[str, Any]) -> Path:
    name = str(db["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("Restoring SQLite needs a database file, not memory.")
    return Path(name)


def sqlite_counts(db: dict[str, Any]) -> dict[str, int]:
    conn = sqlite3.connect(_sqlite_path(db))
    try:
        return _sqlite_counts(conn)
    finally:
        conn.close()


def sqlite_prepare(db: dict[str, Any], *, force: bool) -> None:
    path = _sqlite_path(db)
    if path.exists() and sqlite_counts(db) and not force:
        raise BackupError(
            f"Database {path} is not empty: refusing to restore over it. Restore "
            "into a new file, or pass --force to replace it."
        )
    path.parent.mkdir(parents=True, exist_ok=True)


def sqlite_restore(db: dict[str, Any], source: Readable) -> None:
    """Write the copy beside the target, then copy it in with the backup API."""
    path = _sqlite_path(db)
    staged = path.with_name(path.name + ".restoring")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            while chunk := source.read(CHUNK_BYTES):
                handle.write(chunk)
        backup, target = sqlite3.connect(staged), sqlite3.connect(path)
        try:
            backup.backup(target)
        finally:
            backup.close()
            target.close()
    finally:
        staged.unlink(missing_ok=True)
