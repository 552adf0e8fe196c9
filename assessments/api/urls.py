from django.urls import path

from assessments.api import views

urlpatterns = [
    path(
        "assessments/exams/<slug:slug>/start/",
        views.ExamStartView.as_view(),
        name="assessments-exam-start",
    ),
    path(
        "assessments/attempts/<int:attempt_id>/",
        views.AttemptView.as_view(),
        name="assessments-attempt",
    ),
    path(
        "assessments/attempts/<int:attempt_id>/answers/<int:position>/",
        views.AnswerView.as_view(),
        name="assessments-answer",
    ),
    path(
        "assessments/attempts/<int:attempt_id>/submit/",
        views.SubmitView.as_view(),
        name="assessments-submit",
    ),
]
