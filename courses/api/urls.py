from django.urls import path

from courses.api import views

urlpatterns = [
    path(
        "courses/<int:course_id>/enrollment/",
        views.EnrollmentView.as_view(),
        name="course-enrollment",
    ),
    path(
        "courses/<int:course_id>/progress/",
        views.CourseProgressView.as_view(),
        name="course-progress",
    ),
    path(
        "lessons/<int:lesson_id>/heartbeat/",
        views.HeartbeatView.as_view(),
        name="lesson-heartbeat",
    ),
    path(
        "lessons/<int:lesson_id>/checks/<str:block_id>/",
        views.CheckAnswerView.as_view(),
        name="lesson-check",
    ),
    path("progress/events/", views.ProgressBatchView.as_view(), name="progress-events"),
]
