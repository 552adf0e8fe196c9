"""The app's reads (no writes): what its pages and other apps may ask."""

from skilltests.selectors.applications import (
    application_get_for_applicant,
    application_get_for_staff,
    applications_for_applicant,
    applications_page_for_staff,
    applications_waiting_count,
    document_for_viewer,
)
from skilltests.selectors.centres import (
    centre_get,
    centre_list,
    centres_for_scope,
    governorates_testing,
    occupations_tested,
)
from skilltests.selectors.path import application_path, course_offers_for
from skilltests.selectors.reports import centre_figures, report_facts
from skilltests.selectors.sessions import (
    assessors_list,
    booking_cutoff,
    centre_sessions_upcoming,
    session_get_for_staff,
    session_seats_held,
    sessions_bookable,
    sessions_for_staff,
)
from skilltests.selectors.slips import slip_check, slip_check_url, slip_get

__all__ = [
    "application_get_for_applicant",
    "application_get_for_staff",
    "application_path",
    "applications_for_applicant",
    "applications_page_for_staff",
    "applications_waiting_count",
    "assessors_list",
    "booking_cutoff",
    "centre_get",
    "centre_figures",
    "centre_list",
    "centre_sessions_upcoming",
    "centres_for_scope",
    "course_offers_for",
    "document_for_viewer",
    "governorates_testing",
    "occupations_tested",
    "report_facts",
    "session_get_for_staff",
    "session_seats_held",
    "sessions_bookable",
    "sessions_for_staff",
    "slip_check",
    "slip_check_url",
    "slip_get",
]
