"""The one scratch-folder sweep media runs and imports share."""

from __future__ import annotations

import os
import time

from lms.kernel.scratch import age_s, scratch_sweep


def _folder(root, name: str, *, age_s: float = 3600):
    folder = root / name
    folder.mkdir()
    (folder / "part.ts").write_bytes(b"x")
    then = time.time() - age_s
    os.utime(folder, (then, then))
    return folder


def test_only_old_folders_of_jobs_not_running_are_removed(tmp_path):
    idle = _folder(tmp_path, "job-1")
    running = _folder(tmp_path, "job-2")
    young = _folder(tmp_path, "job-3", age_s=1)
    asked = []

    def busy(ids):
        asked.append(set(ids))
        return [2]

    assert (
        scratch_sweep(root=tmp_path, prefix="job-", running=busy, older_than_s=60) == 1
    )
    assert asked == [{1, 2, 3}]
    assert not idle.exists() and running.exists() and young.exists()


def test_other_programs_folders_and_files_are_left_alone(tmp_path):
    theirs = _folder(tmp_path, "job-cache")
    mine = tmp_path / "job-4"
    mine.write_text("a file, not a folder")
    assert (
        scratch_sweep(
            root=tmp_path, prefix="job-", running=lambda ids: [], older_than_s=0
        )
        == 0
    )
    assert theirs.exists() and mine.exists()
    # where the prefix is ours alone, an old release's unnumbered folder goes too
    assert scratch_sweep(
        root=tmp_path, prefix="job-", running=lambda ids: [], older_than_s=0,
        unnumbered=True,
    ) == 1  # fmt: skip
    assert not theirs.exists()


def test_a_missing_root_sweeps_nothing(tmp_path):
    assert (
        scratch_sweep(
            root=tmp_path / "gone",
            prefix="job-",
            running=lambda ids: [],
            older_than_s=0,
        )
        == 0
    )
    assert age_s(tmp_path / "gone") == float("inf")
