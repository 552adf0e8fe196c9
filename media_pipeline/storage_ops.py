"""Storage-API helpers: list, copy out, upload, move and delete whole prefixes.

Only Django's storage API is used, so local disk and S3-compatible stores behave the
same; a filesystem storage moves by rename, others by copy then delete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, default_storage

# Playlists are moved last, so a run cut short never exposes a playable stream.
_LAST = (".m3u8",)


def list_files(prefix: str, storage: Storage = default_storage) -> list[str]:
    """Every file name under a prefix, recursively (an absent prefix has none)."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{prefix}/{f}" for f in files]
    for d in dirs:
        names.extend(list_files(f"{prefix}/{d}", storage))
    return names


def delete_prefix(prefix: str, storage: Storage = default_storage) -> None:
    for name in list_files(prefix, storage):
        storage.delete(name)
    if hasattr(storage, "path"):
        try:
            shutil.rmtree(storage.path(prefix), ignore_errors=True)
        except NotImplementedError:
            pass


@contextmanager
def local_copy(name: str, storage: Storage = default_storage) -> Iterator[str]:
    """A local path for a stored file (the file itself on disk, else a temp copy)."""
    try:
        yield storage.path(name)
        return
    except NotImplementedError:
        pass
    suffix = PurePosixPath(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        with storage.open(name, "rb") as src:
            shutil.copyfileobj(src, tmp, 1024 * 1024)
        tmp.flush()
        yield tmp.name


def upload_tree(
    local_dir: Path,
    prefix: str,
    storage: Storage = default_storage,
    on_file: Callable[[], None] | None = None,
) -> list[str]:
    """Store every file of a local folder under prefix; returns relative names."""
    names = []
    for path in sorted(p for p in local_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(local_dir).as_posix()
        if not _move_local(path, f"{prefix}/{rel}", storage):
            with path.open("rb") as fh:
                stored = storage.save(f"{prefix}/{rel}", File(fh))
            if stored != f"{prefix}/{rel}":
                raise RuntimeError(f"storage renamed {rel} to {stored}")
        names.append(rel)
        if on_file:
            on_file()
    return names


def _move_local(path: Path, name: str, storage: Storage) -> bool:
    """On a filesystem storage, move the scratch file in instead of copying it."""
    try:
        target = Path(storage.path(name))
    except NotImplementedError:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return True


def move_file(src: str, dst: str, storage: Storage = default_storage) -> None:
    try:
        src_path, dst_path = storage.path(src), storage.path(dst)
    except NotImplementedError:
        with storage.open(src, "rb") as fh:
            stored = storage.save(dst, File(fh))
        if stored != dst:
            raise RuntimeError(f"storage renamed {dst} to {stored}") from None
        storage.delete(src)
        return
    os.makedirs(os.path.dirname(dst_path), exist_ok=True)
    os.replace(src_path, dst_path)


def move_tree(
    names: list[str],
    src_prefix: str,
    dst_prefix: str,
    storage: Storage = default_storage,
    mover: Callable[[str, str, Storage], None] | None = None,
) -> None:
    """Move files between prefixes, playlists last (the publish step)."""
    mover = mover or move_file
    ordered = sorted(names, key=lambda n: (n.endswith(_LAST), n == "master.m3u8", n))
    for rel in ordered:
        mover(f"{src_prefix}/{rel}", f"{dst_prefix}/{rel}", storage)
