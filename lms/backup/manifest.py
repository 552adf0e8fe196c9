"""The manifest: what a backup holds and how to check it (manifest.json, plain JSON).

It holds no personal data (table names, counts, checksums, key ids), so it stays
readable without the encryption key: a restore checks every part before it
decrypts or changes anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings

from lms.backup.errors import BackupError
from lms.backup.parts import write_private_file

FORMAT = "maharat-backup/1"
MANIFEST = "manifest.json"
NAME_PATTERN = re.compile(r"^maharat-\d{8}T\d{6}Z(-\d+)?$")


def git_revision() -> str | None:
    """GIT_REVISION (set by the image build), else the checkout's HEAD, else None."""
    if settings.GIT_REVISION:
        return settings.GIT_REVISION
    if not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def manifest_write(folder: Path, manifest: dict[str, Any]) -> None:
    body = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    write_private_file(folder / MANIFEST, body.encode("utf-8") + b"\n")
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def manifest_read(folder: Path) -> dict[str, Any]:
    """The manifest of a backup folder, or a clear refusal."""
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(f"No backup at {folder}: give a backup folder.")
    if not path.is_file():
        raise BackupError(
            f"No {MANIFEST} in {folder}: not a backup folder, or an unfinished one."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} manifest.")
    return manifest
