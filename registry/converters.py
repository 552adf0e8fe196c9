"""Models to the plain data of registry.data (selectors and services hand out these)."""

from __future__ import annotations

from registry.data import (
    ApiClientData,
    CertificateData,
    ImportBatchData,
    ImportConflictData,
    ImportJobData,
    ImportRejectionData,
    OccupationData,
    RevocationRequestData,
    SkillLevelData,
)
from registry.models import (
    ApiClient,
    Certificate,
    ImportBatch,
    ImportConflict,
    ImportJob,
    Occupation,
    RevocationRequest,
    SkillLevel,
)
from registry.serials import serial_display


def occupation_data(occupation: Occupation) -> OccupationData:
    return OccupationData(
        id=occupation.pk,
        code=occupation.code,
        title_ar=occupation.title_ar,
        title_en=occupation.title_en,
        trade=occupation.trade,
        introduced_on=occupation.introduced_on,
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
        evidence=dict(certificate.evidence or {}),
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
        import_batch_id=ImportBatch.objects.filter(job_id=job.pk)
        .values_list("pk", flat=True)
        .first(),
    )


def import_batch_data(
    batch: ImportBatch, *, pending: int | None = None
) -> ImportBatchData:
    return ImportBatchData(
        id=batch.pk,
        label=batch.label,
        status=batch.status,
        status_label=str(batch.get_status_display()),
        governorate_code=batch.governorate_code,
        job_id=batch.job_id,
        created_by_id=batch.created_by_id,
        created_at=batch.created_at,
        rows=batch.rows,
        pending=batch.rows - batch.issued - batch.rows_rejected
        if pending is None
        else pending,
        conflicts_count=batch.conflicts_count,
        reviewed_by_id=batch.reviewed_by_id,
        reviewed_at=batch.reviewed_at,
        issued=batch.issued,
        rows_rejected=batch.rows_rejected,
        review_note=batch.review_note,
    )


def import_conflict_data(conflict: ImportConflict) -> ImportConflictData:
    cert = conflict.certificate
    return ImportConflictData(
        id=conflict.pk,
        certificate_id=conflict.certificate_id,
        serial_display=serial_display(cert.serial) if cert else "",
        row=conflict.row,
        kind=conflict.kind,
        kind_label=str(conflict.get_kind_display()),
        imported=conflict.imported,
        known=conflict.known,
        known_ref=conflict.known_ref,
    )


def revocation_request_data(request: RevocationRequest) -> RevocationRequestData:
    cert = request.certificate
    return RevocationRequestData(
        id=request.pk,
        certificate_id=request.certificate_id,
        serial_display=serial_display(cert.serial),
        holder_name=cert.full_name_ar,
        governorate_code=cert.governorate_code,
        reason=request.reason,
        status=request.status,
        emergency=request.emergency,
        requested_by_id=request.requested_by_id,
        requested_at=request.requested_at,
        decided_by_id=request.decided_by_id,
    )
