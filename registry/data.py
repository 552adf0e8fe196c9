"""Plain data the registry hands to other apps and to its own pages and API.

Frozen, built by registry.converters from the models; nothing here imports the app or
touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import get_language

from lms.accounts.national_id import (
    governorates,
    mask_national_id,
    mask_national_id_public,
)


def _english() -> bool:
    return get_language() == "en"


@dataclass(frozen=True)
class OccupationData:
    id: int
    code: str
    title_ar: str
    title_en: str
    trade: str
    introduced_on: dt.date | None = None  # no certificate is dated before it

    @property
    def title(self) -> str:
        """In the current language."""
        return self.title_en if _english() else self.title_ar


@dataclass(frozen=True)
class SkillLevelData:
    id: int
    code: str
    rank: int
    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        """In the current language."""
        return self.name_en if _english() else self.name_ar


@dataclass(frozen=True)
class CertificateData:
    id: int
    serial: str
    serial_display: str
    status: str
    source: str
    national_id: str
    holder_id: int | None
    full_name_ar: str
    full_name_en: str
    occupation_code: str
    occupation_title_ar: str
    occupation_title_en: str
    level_code: str
    level_rank: int
    level_name_ar: str
    level_name_en: str
    issue_date: dt.date | None
    governorate_code: str
    issuing_directorate: str
    legacy_number: str
    revoked_at: dt.datetime | None
    verify_path: str
    created_by_id: int | None = None
    source_label: str = ""  # the source's name, in the language it was read in
    # What the approver weighs (exam and rubric scores, assessor, photos), as the
    # issuing app recorded it; never shown publicly.
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)
    approved_by_id: int | None = None  # the signature block names this account

    @property
    def national_id_masked(self) -> str:
        """For the directorates' systems (registry API): birth date kept."""
        return mask_national_id(self.national_id)

    @property
    def national_id_public(self) -> str:
        """For what the holder hands to strangers (the PDF): last four digits."""
        return mask_national_id_public(self.national_id)

    @property
    def is_issued(self) -> bool:
        return self.status == "issued"

    @property
    def governorate_name(self) -> str:
        """In the current language (the code when it is not a known governorate)."""
        found = governorates().get(self.governorate_code)
        if found is None:
            return self.governorate_code
        return found.name_en if _english() else found.name_ar

    @property
    def occupation_title(self) -> str:
        return self.occupation_title_en if _english() else self.occupation_title_ar

    @property
    def level_name(self) -> str:
        return self.level_name_en if _english() else self.level_name_ar


@dataclass(frozen=True)
class CertificatePageData:
    """One page of the registry list, newest first, and where the next ones start:
    `next_before_id` (older) and `previous_after_id` (newer), None at either end."""

    certificates: tuple[CertificateData, ...]
    next_before_id: int | None
    previous_after_id: int | None


@dataclass(frozen=True)
class CertificateSearchData:
    """A staff search's criteria (each optional; "" or None means any). Kept on the
    server under a search id: the national ID never travels in a URL."""

    text: str = ""  # a serial in any typed form, or words of a name
    national_id: str = ""
    occupation: str = ""
    level: str = ""
    governorate: str = ""
    status: str = ""
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None


@dataclass(frozen=True)
class HistoryEntryData:
    """One audit entry about a certificate, as staff read its history."""

    seq: int
    created_at: dt.datetime
    action: str
    actor_id: int | None
    actor_name: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class CertificateDetailData:
    """A certificate as ministry staff open it: its record, the evidence it was
    issued on, its history and what this viewer may do with it."""

    certificate: CertificateData
    birth_date: dt.date
    gender: str
    evidence: Mapping[str, Any]
    history: tuple[HistoryEntryData, ...]
    created_by_name: str
    approved_by_name: str
    approved_at: dt.datetime | None
    revoked_by_name: str
    revocation_reason: str
    can_approve: bool
    can_revoke: bool
    refusal: str  # why this viewer may not approve ('' if they may, or not pending)
    import_batch_id: int | None = None  # an import's row: reviewed with its batch


@dataclass(frozen=True)
class CountData:
    key: Any  # a code, a status, "YYYY-MM" or None (not recorded)
    count: int


@dataclass(frozen=True)
class CertificateStatisticsData:
    total: int
    by_status: tuple[CountData, ...]
    by_occupation: tuple[CountData, ...]
    by_level: tuple[CountData, ...]
    by_governorate: tuple[CountData, ...]
    by_gender: tuple[CountData, ...]
    by_month: tuple[CountData, ...]


@dataclass(frozen=True)
class ApiClientData:
    id: int
    name: str
    scopes: tuple[str, ...]
    is_active: bool


@dataclass(frozen=True)
class ImportRejectionData:
    row: int
    column: str
    reason_en: str
    reason_ar: str


@dataclass(frozen=True)
class ImportJobData:
    id: int
    original_name: str
    status: str
    status_label: str
    percent: int
    total_rows: int
    processed_rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejections: tuple[ImportRejectionData, ...]  # the first ones, to show
    rejection_report: str  # storage name of the full report ('' when none)
    error: str
    created_by_id: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    import_batch_id: int | None = None  # the pending batch it wrote


class PaperRecord(NamedTuple):
    """A validated paper-era row, as `services.certificates_bulk_upsert` writes it.

    A tuple, not a dataclass: an import builds a million of them."""

    national_id: str
    full_name_ar: str
    full_name_en: str
    birth_date: dt.date
    gender: str
    governorate_code: str
    occupation_id: int
    skill_level_id: int
    issuing_directorate: str
    issue_date: dt.date
    legacy_number: str

    def key(self) -> tuple[str, int, int, dt.date]:
        """The record's identity: national ID + occupation + level + issue date."""
        return self[0], self[6], self[7], self[9]


@dataclass(frozen=True)
class BulkWriteData:
    """What one batch of paper records changed."""

    inserted: int
    updated: int
    unchanged: int
    conflicts: int = 0  # rows listed for the batch's reviewer


@dataclass(frozen=True)
class SigningKeyData:
    """A registry signing key as a backup keeps it (private: never shown or logged)."""

    key_id: str
    pem: str
    source: str


@dataclass(frozen=True)
class VerificationProbeData:
    """An issued certificate's serial and the QR token its holder carries."""

    serial: str
    token: str


@dataclass(frozen=True)
class DirectorateWorkloadData:
    """One directorate's queue and speed (registry.selectors.workload).

    `pending_by_age`: pending certificates by days waiting, in the buckets of
    `WORKLOAD_AGE_BUCKETS`; `median_days`/`p90_days`: from the certificate's
    creation (the passed test handed over) to its issue, for those issued in the
    period (paper-era records excluded: they were never waiting); None when none."""

    governorate_code: str
    pending_by_age: tuple[int, ...]
    issued: int
    median_days: float | None
    p90_days: float | None

    @property
    def pending(self) -> int:
        return sum(self.pending_by_age)


@dataclass(frozen=True)
class WorkloadData:
    directorates: tuple[DirectorateWorkloadData, ...]
    bucket_days: tuple[int, ...]  # upper bounds of the age buckets; the last open
    issued_from: dt.date
    issued_to: dt.date


class IssueWaitRow(NamedTuple):
    """Certificates issued in `month` in a governorate after `days` whole days of
    waiting (registry.selectors.issue_wait_histogram). A tuple: the reports' refresh
    reads tens of thousands."""

    month: dt.date
    governorate_code: str
    days: int
    certificates: int


@dataclass(frozen=True)
class ImportBatchData:
    """An import's pending certificates as their reviewer sees them."""

    id: int
    label: str
    status: str
    status_label: str
    governorate_code: str  # the uploader's directorate ('' for the head office)
    job_id: int | None
    created_by_id: int | None
    created_at: dt.datetime
    rows: int
    pending: int
    conflicts_count: int
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    issued: int
    rows_rejected: int
    review_note: str = ""

    @property
    def in_review(self) -> bool:
        return self.status == "review"

    @property
    def approving(self) -> bool:
        return self.status == "approving"


@dataclass(frozen=True)
class ImportConflictData:
    id: int
    certificate_id: int | None
    serial_display: str
    row: int | None
    kind: str
    kind_label: str
    imported: str
    known: str
    known_ref: str


@dataclass(frozen=True)
class RevocationRequestData:
    id: int
    certificate_id: int
    serial_display: str
    holder_name: str
    governorate_code: str
    reason: str
    status: str
    emergency: bool
    requested_by_id: int | None
    requested_at: dt.datetime
    decided_by_id: int | None
