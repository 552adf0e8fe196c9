"""Plain data the registry hands to other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lms.accounts.national_id import mask_national_id, mask_national_id_public


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


def certificate_data(certificate) -> CertificateData:
    from registry.serials import serial_display

    occ, level = certificate.occupation, certificate.skill_level
    return CertificateData(
        id=certificate.pk,
        serial=certificate.serial,
        serial_display=serial_display(certificate.serial),
        status=certificate.status,
        source=certificate.source,
        national_id=certificate.national_id,
        holder_id=certificate.holder_id,
        full_name_ar=certificate.full_name_ar,
        full_name_en=certificate.full_name_en,
        occupation_code=occ.code,
        occupation_title_ar=occ.title_ar,
        occupation_title_en=occ.title_en,
        level_code=level.code,
        level_rank=level.rank,
        level_name_ar=level.name_ar,
        level_name_en=level.name_en,
        issue_date=certificate.issue_date,
        governorate_code=certificate.governorate_code,
        issuing_directorate=certificate.issuing_directorate,
        legacy_number=certificate.legacy_number,
        revoked_at=certificate.revoked_at,
        verify_path=f"/verify/{serial_display(certificate.serial)}/",
    )


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
