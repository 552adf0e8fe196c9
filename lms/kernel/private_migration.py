"""Move files a model already stored in the public media store into the private one.

Used by the data migrations that made evidence photos and video originals private.
Each row is handled on its own: copy under a new unguessable name (a hard link on the
same disk, so a large original is not copied), point the row at it, and only then
delete the public copy. A run cut short leaves every row pointing at a file that
exists; running again skips the rows already moved. A row whose file is missing is
left as it is and reported, never a crash.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, storages

from lms.kernel.private_files import UnguessableName

logger = logging.getLogger(__name__)


@dataclass
class MoveReport:
    """What a run did, for the migration's output and for tests."""

    moved: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    already_private: int = 0


def move_field_files(
    model: Any,
    field_name: str,
    folder: str,
    *,
    source: Storage | None = None,
    target: Storage | None = None,
    rename: bool = True,
    note: Callable[[str], None] | None = None,
) -> MoveReport:
    """Move every file of ``model.field_name`` from ``source`` into ``target``.

    Defaults: from the public store (``default``) into ``private``, each file under a
    new name from ``UnguessableName(folder)``; ``rename=False`` keeps the names (the
    reverse migration moves files back as they are).
    """
    source = source or storages["default"]
    target = target or storages["private"]
    note = note or logger.warning
    namer = UnguessableName(folder)
    report = MoveReport()
    rows = (
        model._default_manager.exclude(**{field_name: ""})
        .exclude(**{f"{field_name}__isnull": True})
        .values_list("pk", field_name)
        .order_by("pk")
    )
    for pk, name in rows.iterator():
        if target.exists(name):
            report.already_private += 1
            continue
        if not source.exists(name):
            report.missing.append(name)
            note(f"{model.__name__} {pk}: {name} is missing; left as it is")
            continue
        new_name = _copy(source, name, target, namer(None, name) if rename else name)
        model._default_manager.filter(pk=pk, **{field_name: name}).update(
            **{field_name: new_name}
        )
        source.delete(name)
        report.moved.append((name, new_name))
    return report


def _copy(source: Storage, name: str, target: Storage, new_name: str) -> str:
    """Copy one file across stores; a hard link when both are the same local disk."""
    try:
        src_path, dst_path = source.path(name), target.path(new_name)
    except NotImplementedError:
        with source.open(name, "rb") as fh:
            return target.save(new_name, File(fh))
    os.makedirs(os.path.dirname(dst_path), exist_ok=True)
    try:
        os.link(src_path, dst_path)
    except OSError:
        shutil.copyfile(src_path, dst_path)
    return new_name
