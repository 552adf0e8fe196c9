"""Shared fixtures. Data comes from factories in tests/factories.py."""

from __future__ import annotations

import os

import pytest
from django.core.files.storage import FileSystemStorage
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from lms.kernel.private_files import private_storage
from tests import reused_db
from tests.factories import UserFactory

TEST_SETTINGS = "lms.settings_test"

# Property tests check answers, not speed: on a loaded 2-core CI machine Hypothesis'
# per-example deadline and its "generation is slow" check fail healthy tests.
hypothesis_settings.register_profile(
    "maharat", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("maharat")


def pytest_report_header(config):
    return [
        f"settings: {os.environ.get('DJANGO_SETTINGS_MODULE')}",
        f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}",
        f"redis: {os.environ.get('REDIS_URL', 'not set: in-memory channel layer')}",
    ]


def pytest_configure(config):
    # pytest-django prefers DJANGO_SETTINGS_MODULE from the environment to
    # pyproject's: the production module would run the suite with Argon2, the
    # real task queue and the file cache.
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE")
    if chosen != TEST_SETTINGS:
        raise pytest.UsageError(
            f"DJANGO_SETTINGS_MODULE={chosen} in the environment: the tests run with "
            f"{TEST_SETTINGS} (unset the variable or pass --ds={TEST_SETTINGS})."
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test`'s --dist loadfile, with tests/e2e/ as one unit given out first
    (tests/xdist_units.py); any other --dist as xdist has it."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests.xdist_units import UnitScheduling

    return UnitScheduling(config, log)


# --- the kept test database (--reuse-db; tests/reused_db.py) ------------------------


@pytest.fixture(scope="session")
def django_db_createdb(
    request, django_db_keepdb, django_db_blocker, django_db_modify_db_settings
) -> bool:
    """Build the test database afresh on --create-db, or when the kept one was
    built from other migrations or left by a run that did not end. After
    pytest-django has named this process's test database (`make test`'s xdist
    workers: test_<name>_gw0, _gw1): the check must look at the one it will use."""
    if request.config.getvalue("create_db") or not django_db_keepdb:
        return bool(request.config.getvalue("create_db"))
    from django.db import connection

    if not reused_db.is_kept(connection):
        return False
    with django_db_blocker.unblock():
        return not reused_db.reusable(connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_blocker):
    """pytest-django's set-up, with the kept database marked in use until the run
    ends. pytest-django runs the transactional tests last, and the last of them ends
    with a flush: the rows the migrations wrote (directorates, role groups, the page
    tree) would be missing from the kept database, and the next run would fail on
    them. So the run ends by putting back what the database held when it started."""
    from django.db import connection

    if not (django_db_keepdb and reused_db.is_kept(connection)):
        yield
        return
    with django_db_blocker.unblock():
        reused_db.record(connection, clean=False)
    yield
    with django_db_blocker.unblock():
        snapshot = getattr(connection, "_test_serialized_contents", None)
        if snapshot is None:
            return  # nothing to restore from: the next run builds it afresh
        _restore(connection, snapshot)
        reused_db.record(connection, clean=True)


def _restore(connection, snapshot: str) -> None:
    """Empty the database and load `snapshot` (serialize_db_to_string) back."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    # Restoring saves rows whose signal handlers look content types up: from the
    # cache, not created again before their own rows are back.
    ContentType.objects.get_for_models(*apps.get_models())
    # Sequences stay where they are (as TransactionTestCase's flush leaves them):
    # reset to 1, they would hand out the ids of the restored rows and the next
    # test's first insert fails on PostgreSQL.
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    connection.creation.deserialize_db_from_string(snapshot)
    # Looked up in an emptied database above, the cache may hold ids that the restored
    # rows do not have: the tests that follow read them again.
    ContentType.objects.clear_cache()


# --- transactional tests followed by others (make test's xdist workers) -------------
# A transactional test ends with a flush; the next one with serialized_rollback puts the
# migrated rows back at its start, but a plain test does not. pytest-django runs the
# transactional tests last for that, in one process; xdist hands each worker whole
# files in its own order, so a worker may go on from a transactional test to plain
# ones: the migrated rows are put back first (once per such change, seconds).
_EMPTIED = pytest.StashKey[bool]()


def _uses_db(item: pytest.Item) -> str | None:
    """ "transactional", "plain" or None (no database), as pytest-django sorts tests."""
    from pytest_django.fixtures import validate_django_db

    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    if transactional:
        return "transactional"
    return "plain" if marker or "db" in fixtures else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    if item.config.stash.get(_EMPTIED, False) and _uses_db(item) == "plain":
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        snapshot = getattr(connection, "_test_serialized_contents", None)
        if snapshot is not None:
            with item.config.stash[blocking_manager_key].unblock():
                _restore(connection, snapshot)
        item.config.stash[_EMPTIED] = False
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _uses_db(item) == "transactional":
        item.config.stash[_EMPTIED] = True
    return result


@pytest.fixture(scope="module")
def committed_db(django_db_setup, django_db_blocker):
    """For a module whose code under test reaches the database from other threads
    (consumers, ASGI apps), which cannot see a test's open transaction: its writes
    are committed, as in production, and the module restores the database once at
    its end, not after each test as `transaction=True` does (a flush and a restore of
    the migrated rows: seconds each on PostgreSQL). A module requests it by
    overriding `db` with a fixture that uses it; its tests must not count rows they
    did not create."""
    from django.db import connection

    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
        try:
            yield
        finally:
            _restore(connection, snapshot)


@pytest.fixture(autouse=True)
def _no_pages_kept_from_earlier_tests():
    """Kept pages, routes and outlines are keyed by ids and addresses, which another
    test (or, with Redis, another run) may have used for other pages."""
    from lms.kernel.page_cache import forget_kept

    forget_kept()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads (public and private) into its own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """...and personal files into its own private folder. File fields hold the
    private storage built at start-up, so that instance is pointed there."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    storage = private_storage()
    if not isinstance(storage, FileSystemStorage):
        yield
        return
    saved = storage._location
    _relocate(storage, str(root))
    yield
    _relocate(storage, saved)


@pytest.fixture(autouse=True)
def _audit_checkpoint_dir(settings, tmp_path):
    """The registry's signed audit checkpoints go to the test's own folder (whatever
    STORAGES a later fixture sets: the storage reads the setting)."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


def _relocate(storage: FileSystemStorage, location: str | None) -> None:
    storage._location = location
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


@pytest.fixture
def make_user(db):
    def make(role: str | None = "trainee", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def trainee(make_user):
    return make_user("trainee")


@pytest.fixture
def instructor(make_user):
    return make_user("instructor")


@pytest.fixture
def ministry_staff(make_user):
    return make_user("ministry_staff", is_staff=True)


@pytest.fixture
def assessor(make_user):
    return make_user("assessor")


@pytest.fixture
def content_editor(make_user):
    return make_user("content_editor", is_staff=True)


@pytest.fixture
def content_reviewer(make_user):
    return make_user("content_reviewer", is_staff=True)


requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs Redis: set REDIS_URL (CI always does)",
)
requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: set DATABASE_URL (CI always does)",
)


@pytest.fixture
def compiled_queries(monkeypatch):
    """The models of the ORM queries compiled to SQL from here on."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return compiled
