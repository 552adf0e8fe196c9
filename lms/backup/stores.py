"""The file stores (public media, private personal files) as streamed tar parts.

Only stores on the local disk are archived: an S3 bucket is protected by the
bucket's own versioning and replication, and the manifest says it was skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
import tarfile
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, storages

from lms.backup.errors import BackupError
from lms.backup.parts import PartWriter, Readable

logger = logging.getLogger("lms.backup")

# The storage alias of each store in STORAGES, by its name in a backup.
STORES = {"media": "default", "private": "private"}


def store_root(alias: str) -> Path | None:
    """The folder of a local store; None when it lives elsewhere (S3)."""
    storage = storages[alias]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def store_backend(alias: str) -> str:
    storage = storages[alias]
    return f"{type(storage).__module__}.{type(storage).__name__}"


def store_archive(root: Path, sink: PartWriter) -> dict[str, int]:
    """Tar the folder into ``sink``, streaming; files removed meanwhile are skipped."""
    files = size = 0
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
        if not root.is_dir():
            return {"files": 0, "bytes": 0}
        for folder, dirnames, filenames in os.walk(root):
            dirnames.sort()
            base = Path(folder)
            for dirname in dirnames:
                path = base / dirname
                tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
            for filename in sorted(filenames):
                path = base / filename
                try:
                    tar.add(path, arcname=str(path.relative_to(root)))
                except FileNotFoundError:
                    logger.info("skipped %s: removed while backing up", path)
                    continue
                if path.is_file() and not path.is_symlink():
                    files += 1
                    size += path.stat().st_size
    return {"files": files, "bytes": size}


def store_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def store_prepare(root: Path, *, force: bool, label: str) -> None:
    """An empty folder to extract into; refuses a non-empty one without ``force``."""
    if root.exists() and not root.is_dir():
        raise BackupError(f"The {label} store {root} is not a folder.")
    if not store_is_empty(root):
        if not force:
            raise BackupError(
                f"The {label} store {root} is not empty: refusing to restore over "
                "it. Give an empty folder, or pass --force to replace its contents."
            )
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    root.mkdir(parents=True, exist_ok=True)


def store_extract(root: Path, source: Readable) -> int:
    """Extract a store part (tar's 'data' filter: nothing outside ``root``)."""
    files = 0
    with tarfile.open(fileobj=source, mode="r|") as tar:  # type: ignore[call-overload]
        for member in tar:
            tar.extract(member, path=root, filter="data")
            files += member.isfile()
    return files


def store_entry_skipped(alias: str) -> dict[str, Any]:
    return {
        "local": False,
        "backend": store_backend(alias),
        "note": "Not on local disk: bucket versioning and replication protect it.",
    }
