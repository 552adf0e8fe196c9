"""The kept test database (--reuse-db) is trusted only when it was built from these
migrations, the last run that used it ended and it still holds the rows it held then
(tests/reused_db.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from tests import reused_db


def _tree(root, migration: str) -> None:
    (root / "app" / "migrations").mkdir(parents=True)
    (root / "app" / "migrations" / "0001_initial.py").write_text(migration)
    (root / "app" / "views.py").write_text("")
    (root / "requirements-dev.lock").write_text("django==5.2\n")


def test_the_digest_follows_migrations_and_the_lock_only(tmp_path):
    _tree(tmp_path, "operations = []\n")
    first = reused_db.migrations_digest(tmp_path)
    (tmp_path / "app" / "views.py").write_text("x = 1\n")
    assert reused_db.migrations_digest(tmp_path) == first
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("operations = [1]")
    edited = reused_db.migrations_digest(tmp_path)
    assert edited != first
    (tmp_path / "requirements-dev.lock").write_text("django==5.2.1\n")
    assert reused_db.migrations_digest(tmp_path) != edited


def _as_test_database(name: str):
    """A connection whose test database is `name`."""
    probe = connection.copy()
    probe.settings_dict["TEST"] = {**probe.settings_dict["TEST"], "NAME": name}
    return probe


@pytest.fixture
def kept(request):
    if not request.config.getvalue("reuse_db"):
        pytest.skip("run without --reuse-db: no database is kept")


def test_the_database_in_use_is_not_reusable_until_the_run_ends(kept, db):
    """A run killed now (a transactional test half done) leaves it marked."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest, clean FROM {reused_db.STATE_TABLE}")
        rows = [(digest, bool(clean)) for digest, clean in cursor.fetchall()]
    assert rows == [(reused_db.migrations_digest(), False)]
    in_use = _as_test_database(connection.settings_dict["NAME"])
    assert reused_db.reusable(in_use) is False


def test_a_database_that_is_not_there_is_built(kept, db, tmp_path):
    name = (
        str(tmp_path / "absent.sqlite3")
        if connection.vendor == "sqlite"
        else "test_maharat_no_such_database"
    )
    assert reused_db.reusable(_as_test_database(name)) is False


def _sqlite_database(path):
    """A connection of its own to a SQLite file (whatever engine the suite runs on)."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "TEST": {"NAME": str(path)},
            }
        }
    )
    return handler["default"]


def test_a_database_that_lost_rows_since_its_run_ended_is_built_again(
    tmp_path, django_db_blocker
):
    """The failure this guards: the last transactional test of a run flushed the
    migrated rows (directorates, the page tree), the run was recorded as ended, and
    the next run reused a database without them."""
    database = _sqlite_database(tmp_path / "kept.sqlite3")
    with django_db_blocker.unblock():
        _lose_a_row_after_the_run(database)


def _lose_a_row_after_the_run(database) -> None:
    try:
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE directorate (code varchar(2))")
            cursor.execute("INSERT INTO directorate VALUES ('HQ'), ('13')")
        reused_db.record(database, clean=True)
        assert reused_db.reusable(database) is True

        with database.cursor() as cursor:
            cursor.execute("DELETE FROM directorate WHERE code = 'HQ'")
        assert reused_db.reusable(database) is False

        reused_db.record(database, clean=False)  # a run started and was killed
        assert reused_db.reusable(database) is False
    finally:
        database.close()
