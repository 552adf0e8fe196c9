from django.urls import path

from skilltests.views import applicant, centres, course_route, day, slips, staff

app_name = "skilltests"

REF = "<str:reference>"

urlpatterns = [
    path("skill-tests/", applicant.home, name="home"),
    path("skill-tests/apply/", applicant.apply, name="apply"),
    path("skill-tests/after-course/", course_route.course_route, name="course_route"),
    path(f"skill-tests/applications/{REF}/", applicant.application, name="application"),
    path(
        f"skill-tests/applications/{REF}/edit/",
        applicant.application_edit,
        name="application_edit",
    ),
    path(
        f"skill-tests/applications/{REF}/withdraw/", applicant.withdraw, name="withdraw"
    ),
    path(f"skill-tests/applications/{REF}/book/", applicant.book, name="book"),
    path(f"skill-tests/applications/{REF}/move/", applicant.move, name="move"),
    path(
        f"skill-tests/applications/{REF}/cancel-appointment/",
        applicant.cancel_appointment,
        name="cancel_appointment",
    ),
    path(f"skill-tests/applications/{REF}/slip/", slips.slip, name="slip"),
    path(
        f"skill-tests/applications/{REF}/slip.pdf",
        slips.slip_download,
        name="slip_pdf",
    ),
    path(
        "skill-tests/documents/<int:document_id>/", applicant.document, name="document"
    ),
    path("skill-tests/slips/<str:token>/", slips.slip_check, name="slip_check"),
    # the day of the test: the sessions' assessors and staff; the candidate's theory
    path(f"skill-tests/applications/{REF}/theory/", day.theory, name="theory"),
    path("skill-tests/day/", day.sessions, name="day_sessions"),
    path("skill-tests/day/<int:session_id>/", day.roster, name="day_roster"),
    path(
        "skill-tests/day/<int:session_id>/check-in/",
        day.check_in,
        name="day_check_in",
    ),
    path("skill-tests/day/<int:session_id>/no-show/", day.no_show, name="day_no_show"),
    path(
        "skill-tests/day/<int:session_id>/practical/",
        day.practical,
        name="day_practical",
    ),
    # a directorate's staff
    path(
        "skill-tests/staff/applications/",
        staff.applications,
        name="staff_applications",
    ),
    path(
        f"skill-tests/staff/applications/{REF}/",
        staff.application,
        name="staff_application",
    ),
    path(
        f"skill-tests/staff/applications/{REF}/accept/",
        staff.accept,
        name="staff_accept",
    ),
    path(
        f"skill-tests/staff/applications/{REF}/return/",
        staff.send_back,
        name="staff_return",
    ),
    path("skill-tests/staff/sessions/", staff.sessions, name="staff_sessions"),
    path(
        "skill-tests/staff/sessions/new/", staff.session_new, name="staff_session_new"
    ),
    path(
        "skill-tests/staff/sessions/<int:session_id>/",
        staff.session,
        name="staff_session",
    ),
    path(
        "skill-tests/staff/sessions/<int:session_id>/cancel/",
        staff.session_cancel,
        name="staff_session_cancel",
    ),
    # public
    path("test-centres/", centres.directory, name="centres"),
    path("test-centres/<slug:code>/", centres.centre, name="centre"),
]
