"""Models to the plain data of registry.data (selectors and services hand out these)."""

from __future__ import annotations

from registry.data import (
    ApiClientData,
    CertificateData,
    ImportJobData,
    ImportRejectionData,
    OccupationData,
    SkillLevelData,
)
from registry.models import ApiClient, Certificate, ImportJob, Occupation, SkillLevel
from registry.serials import serial_display


def occupation_data(occupation: Occupation) -> OccupationData:
    return OccupationData(
        id=occupation.pk,
        code=occupation.code,
        title_ar=occupation.title_ar,
        title_en=occupation.title_en,
        trade=occupation.trade,
    )


def skill_level_data(level: SkillLevel) -> SkillLevelData:
    return SkillLevelData(
        id=level.pk,
        code=level.code,
        rank=level.rank,
        name_ar=level.name_ar,
        name_en=level.name_en,
    )


def certificate_data(certificate: Certificate) -> CertificateData:
    """Needs the occupation and level loaded (select_related) to stay one query."""
    occ, level = certificate.occupation, certificate.skill_level
    shown = serial_display(certificate.serial)
    return CertificateData(
        id=certificate.pk,
        serial=certificate.serial,
        serial_display=shown,
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
        verify_path=f"/verify/{shown}/",
        created_by_id=certificate.created_by_id,
        source_label=str(certificate.get_source_display()),
        approved_by_id=certificate.approved_by_id,
    )


def api_client_data(client: ApiClient) -> ApiClientData:
    return ApiClientData(
        id=client.pk,
        name=client.name,
        scopes=tuple(client.scopes or ()),
        is_active=client.is_active,
    )


def import_job_data(job: ImportJob) -> ImportJobData:
    return ImportJobData(
        id=job.pk,
        original_name=job.original_name,
        status=job.status,
        status_label=str(job.get_status_display()),
        percent=job.percent,
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        inserted=job.inserted,
        updated=job.updated,
        unchanged=job.unchanged,
        rejected=job.rejected,
        rejections=tuple(
            ImportRejectionData(
                row=r["row"],
                column=r["column"],
                reason_en=r["reason_en"],
                reason_ar=r["reason_ar"],
            )
            for r in job.rejections or []
        ),
        rejection_report=job.rejection_report.name or "",
        error=job.error,
        created_by_id=job.created_by_id,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )
