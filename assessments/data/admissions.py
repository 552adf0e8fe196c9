"""What an app that admits its own candidates (skilltests) reads of their two parts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PartProgress:
    """One part of a candidate's test as it stands: the theory attempt or the
    practical test (`status` is the part's own: in_progress/awaiting_grading/graded,
    draft/submitted)."""

    id: int
    status: str
    status_label: str
    percent: Decimal | None
    passed: bool | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("graded", "submitted")
