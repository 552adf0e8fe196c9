"""Registry reads other apps (and the registry's own pages and API) use.

Every function takes keyword arguments and returns registry.data objects; a refusal
is a coded error (lms.kernel.errors). `verification_answer` is the public answer's
JSON body (a dict, as served).
"""

from registry.selectors.batches import (
    certificate_pending_scoped,
    certificate_pending_scoped_count,
    import_batch_by_status,
    import_batch_conflicts,
    import_batch_get,
    import_batch_list,
    import_batch_review_count,
    import_batch_rows,
    revocation_request_count,
    revocation_request_get,
    revocation_request_list,
)
from registry.selectors.certificates import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    certificate_get,
    certificate_get_for_viewer,
    certificate_list_for_holder,
    certificate_list_for_user,
    certificate_lookup,
    certificate_page,
)
from registry.selectors.detail import certificate_detail_for_staff
from registry.selectors.imports import import_job_get, import_job_list
from registry.selectors.reference import (
    occupation_get,
    occupation_list,
    skill_level_get,
    skill_level_list,
)
from registry.selectors.search import (
    SEARCH_PAGE_SIZE,
    certificate_search,
    search_criteria,
)
from registry.selectors.statistics import certificate_statistics, report_facts
from registry.selectors.verification import (
    signing_keys_export,
    verification_answer,
    verification_http_status,
    verification_probe_get,
    verification_serial_parse,
    verification_token_state,
)
from registry.selectors.workload import directorate_workload, issue_wait_histogram

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "SEARCH_PAGE_SIZE",
    "certificate_detail_for_staff",
    "certificate_get",
    "certificate_get_for_viewer",
    "certificate_list_for_holder",
    "certificate_list_for_user",
    "certificate_lookup",
    "certificate_page",
    "certificate_pending_scoped",
    "certificate_pending_scoped_count",
    "certificate_search",
    "certificate_statistics",
    "directorate_workload",
    "import_batch_by_status",
    "import_batch_conflicts",
    "import_batch_get",
    "import_batch_list",
    "import_batch_review_count",
    "import_batch_rows",
    "import_job_get",
    "issue_wait_histogram",
    "import_job_list",
    "occupation_get",
    "occupation_list",
    "report_facts",
    "revocation_request_count",
    "revocation_request_get",
    "revocation_request_list",
    "search_criteria",
    "signing_keys_export",
    "skill_level_get",
    "skill_level_list",
    "verification_answer",
    "verification_http_status",
    "verification_probe_get",
    "verification_serial_parse",
    "verification_token_state",
]
