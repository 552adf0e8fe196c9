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
    path(
        "lessons/<int:page_id>/offline-manifest/",
        views.LessonOfflineManifestView.as_view(),
        name="lesson-offline-manifest",
    ),
    path(
        "modules/<int:page_id>/offline-manifest/",
        views.ModuleOfflineManifestView.as_view(),
        name="module-offline-manifest",
    ),
    path("progress/events/", views.ProgressBatchView.as_view(), name="progress-events"),
]
