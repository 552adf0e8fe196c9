"""Paper-era import jobs, for the staff pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.kernel.errors import NotFound
from registry.converters import import_job_data
from registry.data import ImportJobData
from registry.models import ImportJob


def _jobs(scope: StaffScope | None, viewer_id: int | None) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.all()
    if scope is not None and not scope.head_office:
        # A directorate's jobs: those whose batch is its own, and the viewer's own
        # uploads (queued, before their batch exists).
        qs = qs.filter(
            Q(batch__governorate_code__in=scope.governorate_codes)
            | Q(created_by_id=viewer_id)
        )
    return qs


def import_job_get(
    *, job_id: int, scope: StaffScope | None = None, viewer_id: int | None = None
) -> ImportJobData:
    """NotFound also for another directorate's job (`scope` given)."""
    job = _jobs(scope, viewer_id).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such import."), code="not_found")
    return import_job_data(job)


def import_job_list(
    *, limit: int = 10, scope: StaffScope | None = None, viewer_id: int | None = None
) -> list[ImportJobData]:
    """The newest first (of the scope's directorate when given)."""
    return [import_job_data(job) for job in _jobs(scope, viewer_id)[:limit]]
