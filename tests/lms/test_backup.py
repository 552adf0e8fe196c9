"""Backups restore: database, both stores and the signing key come back from one
backup, and every refusal (corrupt backup, non-empty target, wrong key) is clear.

Backups read committed data through pg_dump or SQLite's backup API, hence
transactional tests; serialized_rollback puts the migrated data back for the rest of
the suite.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from lms.backup import crypto
from lms.backup.errors import BackupError
from lms.backup.services import BackupResult, backup_prune, backup_schedule
from registry.selectors import signing_keys_export
from registry.services import certificate_approve, certificate_create_pending
from tests.conftest import requires_postgres
from tests.factories import make_national_id

REPO = Path(settings.BASE_DIR)
IS_POSTGRES = connection.vendor == "postgresql"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg_drop(name: str) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


@pytest.fixture
def target_url(tmp_path):
    """A throwaway restore target of the test database's engine (dropped after)."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"maharat_backup_t_{uuid.uuid4().hex[:10]}"
    yield _pg_url(name)
    _pg_drop(name)


@pytest.fixture
def stores(settings, tmp_path):
    """Both stores on local disk in the test's folder, each holding a file."""
    private = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private, "base_url": "/nowhere/"},
        },
    }
    media = Path(settings.MEDIA_ROOT)
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "lesson.jpg").write_bytes(b"\xff\xd8 public image")
    (private / "evidence" / "2026").mkdir(parents=True)
    (private / "evidence" / "2026" / "photo.jpg").write_bytes(b"personal photo 2987")
    return {"media": media, "private": private}


@pytest.fixture
def issued(make_user):
    """A certificate issued through the registry's own services (maker-checker)."""
    from lms.accounts.services import staff_directorate_assign

    maker = make_user("ministry_staff", is_staff=True)
    checker = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=checker.pk, directorate_code="HQ")
    pending = certificate_create_pending(
        user_id=None,
        national_id=make_national_id(),
        full_name_ar="منى أحمد السيد",
        full_name_en="Mona Ahmed El-Sayed",
        occupation_code="7531",
        level_code="skilled",
        source="platform_test",
        evidence={},
        created_by_id=maker.pk,
        idempotency_key=f"backup-test:{uuid.uuid4().hex}",
    )
    return certificate_approve(certificate_id=pending.id, approver_id=checker.pk)


def _backup(tmp_path, **options) -> Path:
    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out, **options)
    line = out.getvalue().splitlines()[0]
    assert line.startswith("Backup written: ")
    return Path(line.removeprefix("Backup written: ").split(" (")[0])


def _restore(backup: Path, url: str, tmp_path, *, tag: str = "r", **options) -> str:
    out = io.StringIO()
    call_command(
        "restore",
        str(backup),
        database_url=url,
        media_root=tmp_path / f"{tag}-media",
        private_root=tmp_path / f"{tag}-private",
        keys_out=tmp_path / f"{tag}-keys.pem",
        stdout=out,
        **options,
    )
    return out.getvalue()


def _restored_env(url: str, tmp_path, keys: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DATABASE_URL=url,
        CACHE_DIR=str(tmp_path / "cache"),
        REGISTRY_SIGNING_KEY=keys.read_text(),
        DJANGO_SETTINGS_MODULE="lms.settings",
    )
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_backup_restores_database_stores_and_key_and_the_certificate_verifies(
    tmp_path, stores, issued, target_url
):
    backup = _backup(tmp_path)
    output = _restore(backup, target_url, tmp_path)

    assert "Row counts match the manifest" in output
    assert 'export REGISTRY_SIGNING_KEY="$(cat ' in output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["tables"]["registry_certificate"] == 1
    assert manifest["created_at"].endswith("Z")
    assert manifest["probe"] == {"serial": issued.serial}
    assert (tmp_path / "r-media" / "original_images" / "lesson.jpg").read_bytes() == (
        b"\xff\xd8 public image"
    )
    restored_photo = tmp_path / "r-private" / "evidence" / "2026" / "photo.jpg"
    assert restored_photo.read_bytes() == b"personal photo 2987"
    keys = tmp_path / "r-keys.pem"
    assert keys.read_text() == signing_keys_export()[0].pem
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600

    checked = _manage(
        "restore_check", str(backup), env=_restored_env(target_url, tmp_path, keys)
    )
    assert checked.returncode == 0, checked.stderr
    assert f"Certificate {issued.serial_display} verifies" in checked.stdout

    other_key = tmp_path / "other.pem"
    other_key.write_text(
        "-----BEGIN PRIVATE KEY-----\n"
        "MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
        "-----END PRIVATE KEY-----\n"
    )
    wrong = _manage(
        "restore_check", str(backup), env=_restored_env(target_url, tmp_path, other_key)
    )
    assert wrong.returncode != 0
    assert "not the backed-up" in wrong.stderr


def test_backup_files_are_readable_by_their_owner_only(tmp_path, stores, issued):
    backup = _backup(tmp_path)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    files = sorted(p.name for p in backup.iterdir())
    assert files == [
        "database.dump" if IS_POSTGRES else "database.sqlite3",
        "manifest.json",
        "media.tar",
        "private.tar",
        "probe.json",
        "signing-keys.pem",
    ]
    for path in backup.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_restore_refuses_a_corrupt_backup_before_touching_anything(
    tmp_path, stores, issued, target_url
):
    backup = _backup(tmp_path)
    dump = next(backup.glob("database.*"))
    original = dump.read_bytes()
    data = bytearray(original)
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        _restore(backup, target_url, tmp_path)
    assert not (tmp_path / "r-media").exists()
    assert not (tmp_path / "r-keys.pem").exists()

    dump.write_bytes(original)
    private = backup / "private.tar"
    private.write_bytes(private.read_bytes()[:-512])
    with pytest.raises(CommandError, match="private is truncated"):
        _restore(backup, target_url, tmp_path)
    (backup / "manifest.json").unlink()
    with pytest.raises(CommandError, match="No manifest.json"):
        _restore(backup, target_url, tmp_path)


def test_restore_refuses_a_non_empty_target_without_force(
    tmp_path, stores, issued, target_url
):
    backup = _backup(tmp_path)
    _restore(backup, target_url, tmp_path, tag="a")

    with pytest.raises(CommandError, match="is not empty.*--force"):
        _restore(backup, target_url, tmp_path, tag="b")
    assert not (tmp_path / "b-media").exists()

    busy = tmp_path / "busy-media"
    busy.mkdir()
    (busy / "keep.txt").write_text("live file")
    with pytest.raises(CommandError, match="media store .* is not empty"):
        call_command(
            "restore",
            str(backup),
            database_url=target_url,
            media_root=busy,
            private_root=tmp_path / "c-private",
            keys_out=tmp_path / "c-keys.pem",
        )
    assert (busy / "keep.txt").read_text() == "live file"

    output = _restore(backup, target_url, tmp_path, tag="a", force=True)
    assert "Row counts match the manifest" in output


def test_encrypted_backup_round_trip(tmp_path, stores, issued, target_url, settings):
    settings.BACKUP_ENCRYPTION_KEY = "correct horse battery staple"
    backup = _backup(tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["encryption"] == crypto.SCHEME
    assert all(p["file"].endswith(".enc") for p in manifest["parts"].values())
    assert b"PRIVATE KEY" not in (backup / "signing-keys.pem.enc").read_bytes()
    assert b"personal photo" not in (backup / "private.tar.enc").read_bytes()

    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="encrypted: set BACKUP_ENCRYPTION_KEY"):
        _restore(backup, target_url, tmp_path)
    settings.BACKUP_ENCRYPTION_KEY = "wrong"
    with pytest.raises(CommandError, match="cannot decrypt"):
        _restore(backup, target_url, tmp_path)
    assert not (tmp_path / "r-media").exists()

    settings.BACKUP_ENCRYPTION_KEY = "correct horse battery staple"
    assert "Row counts match" in _restore(backup, target_url, tmp_path)
    assert (tmp_path / "r-keys.pem").read_text() == signing_keys_export()[0].pem
    restored_photo = tmp_path / "r-private" / "evidence" / "2026" / "photo.jpg"
    assert restored_photo.read_bytes() == b"personal photo 2987"


def test_pruning_keeps_the_newest_backups_only(tmp_path, stores):
    directory = tmp_path / "backups"
    for stamp in ("20240101T000000Z", "20250101T000000Z", "20250601T000000Z"):
        old = directory / f"maharat-{stamp}"
        old.mkdir(parents=True)
        (old / "manifest.json").write_text("{}")
    (directory / "notes").mkdir()
    stale = directory / ".maharat-20240101T000000Z.partial"
    stale.mkdir()
    os.utime(stale, (0, 0))

    newest = _backup(tmp_path, keep=2)

    left = sorted(p.name for p in directory.iterdir())
    assert left == ["maharat-20250601T000000Z", newest.name, "notes"]
    with pytest.raises(BackupError):
        backup_prune(directory=directory, keep=0)


def test_schedule_logs_a_failed_run_and_goes_on(tmp_path, caplog):
    outcomes = iter([OSError("disk full"), None])
    sleeps = []

    def run():
        outcome = next(outcomes)
        if outcome:
            raise outcome
        return BackupResult(tmp_path, {"parts": {}}, 0.1)

    with caplog.at_level(logging.INFO, logger="lms.backup"):
        backup_schedule(run, every_s=3600, sleep=sleeps.append, max_runs=2)
    assert "backup failed" in caplog.text and "disk full" in caplog.text
    assert "backup written" in caplog.text
    assert len(sleeps) == 1 and 3590 < sleeps[0] <= 3600


def test_a_store_not_on_local_disk_is_skipped_with_a_note(
    tmp_path, settings, stores, target_url
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "maharat-media"},
        },
    }
    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out)
    assert "Store media skipped" in out.getvalue()
    backup = next((tmp_path / "backups").glob("maharat-*"))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert "media" not in manifest["parts"] and "private" in manifest["parts"]
    assert manifest["probe"] is None
    output = _restore(backup, target_url, tmp_path)
    assert "media store not restored" in output


def test_encryption_detects_truncation_and_reordering():
    plain = os.urandom(crypto.CHUNK_BYTES * 2 + 12345)
    sealed = io.BytesIO()
    writer = crypto.EncryptingWriter(sealed, "key")
    for start in range(0, len(plain), 70_000):
        writer.write(plain[start : start + 70_000])
    writer.close()
    data = sealed.getvalue()
    assert crypto.DecryptingReader(io.BytesIO(data), "key").read() == plain

    chunk = 4 + crypto.CHUNK_BYTES + 16
    header = len(crypto.MAGIC) + 24
    without_last = data[: header + 2 * chunk]
    with pytest.raises(BackupError, match="truncated"):
        crypto.DecryptingReader(io.BytesIO(without_last), "key").read()
    swapped = (
        data[:header]
        + data[header + chunk : header + 2 * chunk]
        + data[header : header + chunk]
        + data[header + 2 * chunk :]
    )
    with pytest.raises(BackupError, match="cannot decrypt"):
        crypto.DecryptingReader(io.BytesIO(swapped), "key").read()


def _drill(tmp_path, restore_name: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings",  # as an operator runs it
        "DATABASE_URL": _pg_url(connection.settings_dict["NAME"]),
        "RESTORE_DATABASE_NAME": restore_name,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        # the test's own checkpoints: the checkout's var/ may hold another system's
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
        "PYTHON": sys.executable,
        "TMPDIR": str(tmp_path),
    }
    return subprocess.run(
        ["bash", "scripts/restore_drill.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
@requires_postgres
@pytest.mark.usefixtures("stores")
def test_restore_drill_passes_end_to_end(tmp_path, issued):
    name = f"maharat_backup_drill_{uuid.uuid4().hex[:8]}"
    try:
        drill = _drill(tmp_path, name)
    finally:
        _pg_drop(name)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert f"Certificate {issued.serial_display} verifies" in drill.stdout
    assert "ok    audit_log" in drill.stdout
    assert "restore drill passed" in drill.stdout
    assert not list(tmp_path.glob("maharat-drill.*")), "the drill cleans up"


@pytest.mark.postgres
@requires_postgres
@pytest.mark.usefixtures("stores")
def test_restore_drill_fails_when_no_certificate_can_be_verified(tmp_path):
    name = f"maharat_backup_drill_{uuid.uuid4().hex[:8]}"
    try:
        drill = _drill(tmp_path, name)
    finally:
        _pg_drop(name)
    assert drill.returncode != 0
    assert "FAIL  certificate" in drill.stdout
    assert "no issued certificate" in drill.stderr
