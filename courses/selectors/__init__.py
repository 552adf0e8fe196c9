"""Reads about courses, enrolment and progress, in one package by section.

- `courses`: courses and enrolments, the contract other apps use (with who may see
  a cohort);
- `progress`: a course's outline with a trainee's progress, a lesson's checks and
  video positions, "my courses", the cohort table;
- `checks`: a knowledge check as the trainee's current try shows it (order, hints);
- `catalog`: the catalog filter and the Arabic-normalised search;
- `offline`: the "save for offline" manifests and who may save;
- `reports`: courses' figures for lms.reports.

Every name below is importable from `courses.selectors`; they take keyword
arguments and return `courses.data` objects (or plain values).
"""

from courses.selectors.catalog import catalog_filter, catalog_page_get, search_pages
from courses.selectors.checks import knowledge_check_view_get, knowledge_check_views
from courses.selectors.courses import (
    cohort_course_get,
    completed_course_id,
    course_completed,
    course_completed_at,
    course_get,
    course_list_for_instructor,
    course_list_taught,
    courses_completed_by,
    enrolled_user_ids,
    enrollment_exists,
    enrollment_get,
)
from courses.selectors.offline import (
    lesson_offline_manifest,
    module_offline_manifest,
    offline_save_allowed,
)
from courses.selectors.progress import (
    cohort_progress,
    course_outline_get,
    course_progress_get,
    lesson_progress_get,
    live_minutes_total,
    my_courses,
)
from courses.selectors.reports import report_facts

__all__ = [
    "catalog_filter",
    "catalog_page_get",
    "cohort_course_get",
    "cohort_progress",
    "completed_course_id",
    "course_completed",
    "course_completed_at",
    "course_get",
    "course_list_for_instructor",
    "course_list_taught",
    "courses_completed_by",
    "course_outline_get",
    "course_progress_get",
    "enrolled_user_ids",
    "enrollment_exists",
    "enrollment_get",
    "knowledge_check_view_get",
    "knowledge_check_views",
    "lesson_offline_manifest",
    "lesson_progress_get",
    "live_minutes_total",
    "module_offline_manifest",
    "my_courses",
    "offline_save_allowed",
    "report_facts",
    "search_pages",
]
