"""Paper-era import jobs, for the staff pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lms.kernel.errors import NotFound
from registry.converters import import_job_data
from registry.data import ImportJobData
from registry.models import ImportJob


def import_job_get(*, job_id: int) -> ImportJobData:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such import."), code="not_found")
    return import_job_data(job)


def import_job_list(*, limit: int = 10) -> list[ImportJobData]:
    """The newest first."""
    return [import_job_data(job) for job in ImportJob.objects.all()[:limit]]
