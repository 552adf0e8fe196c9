"""How `make test` shares the suite between its pytest-xdist workers (Makefile,
PYTEST_WORKERS), hooked from tests/conftest.py (`pytest_xdist_make_scheduler`).

xdist's `--dist loadfile` keeps a test file on one worker (its module fixtures are
built once) but hands the files out largest-first by number of tests: the browser
journeys (tests/e2e/, a few long tests per file) come last, split between the two
workers, and each worker then migrates, seeds and serves an e2e server of its own (a
minute and a half) in the run's last minutes. Here the whole of tests/e2e/ is one
unit, given out first: one e2e server for the run, its minutes spent while the other
worker works through the rest of the files (largest first, as loadfile does).
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Units that share a package-scoped fixture (the e2e server and browser).
PACKAGE_UNITS = ("tests/e2e/",)


def unit_of(nodeid: str) -> str:
    """The work unit of a test: its package for those above, else its file."""
    path = nodeid.split("::", 1)[0]
    for package in PACKAGE_UNITS:
        if path.startswith(package):
            return package
    return path


def ordered(units: dict[str, dict[str, bool]]) -> list[str]:
    """Package units first, then the files with the most tests first."""
    return sorted(
        units, key=lambda unit: (unit not in PACKAGE_UNITS, -len(units[unit]))
    )


class UnitScheduling(LoadFileScheduling):
    """LoadFileScheduling with the units and the order above."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        # The queue is an OrderedDict popped from the front: put the next unit there.
        self.workqueue.move_to_end(ordered(self.workqueue)[0], last=False)
        super()._assign_work_unit(node)
