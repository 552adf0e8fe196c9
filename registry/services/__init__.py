"""Registry use cases that write: certificates one at a time (submit, approve, revoke),
paper-era records by the batch (the import), reference data, API clients, imports.

Every function takes keyword arguments and returns registry.data objects; a refusal is
a coded error (lms.kernel.errors). Every change is in the audit log.
"""

from registry.services.batch_approval import (
    approves_in_background,
    import_batch_approval_run,
    import_batch_approval_start,
    import_batch_approvals_requeue,
)
from registry.services.batches import (
    import_batch_approve,
    import_batch_close,
    import_batch_open,
    import_batch_reject,
    import_batch_reject_rows,
)
from registry.services.bulk import (
    certificates_bulk_upsert,
    certificates_planner_refresh,
)
from registry.services.certificates import (
    certificate_approve,
    certificate_create_pending,
    certificate_issued,
    certificate_submit,
)
from registry.services.imports import import_job_create
from registry.services.reference import api_client_create, occupations_load_csv
from registry.services.revocations import (
    certificate_revoke_emergency,
    revocation_request_cancel,
    revocation_request_confirm,
    revocation_request_create,
)

__all__ = [
    "api_client_create",
    "certificate_approve",
    "certificate_create_pending",
    "certificate_issued",
    "certificate_revoke_emergency",
    "certificate_submit",
    "certificates_bulk_upsert",
    "certificates_planner_refresh",
    "approves_in_background",
    "import_batch_approval_run",
    "import_batch_approval_start",
    "import_batch_approvals_requeue",
    "import_batch_approve",
    "import_batch_close",
    "import_batch_open",
    "import_batch_reject",
    "import_batch_reject_rows",
    "import_job_create",
    "occupations_load_csv",
    "revocation_request_cancel",
    "revocation_request_confirm",
    "revocation_request_create",
]
