"""The files of one backup: written 0600, hashed as stored, optionally encrypted.

Every part is hashed as it is written (the bytes on disk, after encryption), so a
restore can refuse a corrupt or truncated backup before it touches anything, even
without the encryption key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from lms.backup.crypto import CHUNK_BYTES, DecryptingReader, EncryptingWriter
from lms.backup.errors import BackupError

FILE_MODE = 0o600
DIR_MODE = 0o700


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class PartInfo:
    """What the manifest says about one stored file."""

    file: str
    sha256: str
    size_bytes: int

    def as_manifest(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "size_bytes": self.size_bytes}


class _HashingFile:
    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.raw.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class PartWriter:
    """Write one part; ``finish()`` seals, syncs and describes it."""

    def __init__(self, folder: Path, filename: str, passphrase: str = "") -> None:
        if passphrase:
            filename += ".enc"
        self.path = folder / filename
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        self._file = os.fdopen(fd, "wb")
        self._hashing = _HashingFile(self._file)
        self._sink: _HashingFile | EncryptingWriter = (
            EncryptingWriter(self._hashing, passphrase) if passphrase else self._hashing
        )

    def write(self, data: bytes) -> int:
        return self._sink.write(data)

    def copy_from(self, source: Readable) -> None:
        while chunk := source.read(CHUNK_BYTES):
            self.write(chunk)

    def finish(self) -> PartInfo:
        if isinstance(self._sink, EncryptingWriter):
            self._sink.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return PartInfo(
            file=self.path.name,
            sha256=self._hashing.digest.hexdigest(),
            size_bytes=self._hashing.size,
        )

    def abort(self) -> None:
        self._file.close()


def part_verify(folder: Path, name: str, entry: dict[str, Any]) -> None:
    """Refuse a part that is missing, truncated or altered since it was written."""
    path = folder / entry["file"]
    if not path.is_file():
        raise BackupError(f"Backup part {name} is missing: {path}")
    size = path.stat().st_size
    if size != entry["size_bytes"]:
        raise BackupError(
            f"Backup part {name} is truncated or altered: {size} bytes, the manifest "
            f"says {entry['size_bytes']}."
        )
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(
            f"Backup part {name} does not match its checksum in the manifest "
            "(corrupt backup): refusing to restore it."
        )


def part_open(folder: Path, entry: dict[str, Any], passphrase: str) -> Readable:
    """The part's plain bytes, decrypted on the fly when it was encrypted."""
    path = folder / entry["file"]
    raw = path.open("rb")
    if not path.name.endswith(".enc"):
        return raw
    if not passphrase:
        raw.close()
        raise BackupError(
            "This backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was "
            "written with."
        )
    return DecryptingReader(raw, passphrase, name=path.name)


def write_private_file(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (keys, manifests of personal data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)
