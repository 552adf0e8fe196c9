"""What the day-of-test pages receive (issue #21 item 4): a session's roster for its
assessors and its directorate's staff, and the day as the candidate sees it. Frozen,
importing nothing of the app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from assessments.data import PartProgress
from skilltests.data import SessionData


@dataclass(frozen=True)
class DayRow:
    """One booking on the roster."""

    reference: str
    applicant_name: str
    national_id: str
    status: str
    status_label: str
    checked_in_at: dt.datetime | None
    theory: PartProgress | None
    practical: PartProgress | None
    may_mark_no_show: bool
    may_score: bool

    @property
    def checked_in(self) -> bool:
        return self.status == "checked_in"


@dataclass(frozen=True)
class DayRoster:
    """A session on its day: who is expected, who came, where each part stands."""

    session: SessionData
    rows: tuple[DayRow, ...]
    check_in_open: bool
    started: bool
    over: bool
    viewer_is_assessor: bool

    @property
    def expected(self) -> int:
        return sum(1 for r in self.rows if r.status in ("booked", "checked_in"))

    @property
    def checked_in(self) -> int:
        return sum(1 for r in self.rows if r.status == "checked_in")

    @property
    def no_shows(self) -> int:
        return sum(1 for r in self.rows if r.status == "no_show")


@dataclass(frozen=True)
class CandidateDay:
    """The day of the test as the candidate sees it on their application's page."""

    checked_in_at: dt.datetime | None
    may_start_theory: bool
    theory: PartProgress | None
    practical: PartProgress | None
    result_percent: Decimal | None = None
    certificate_serial: str = ""
