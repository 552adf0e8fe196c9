from django.urls import path

from assessments import bank_io_views, practical_views, views
from assessments.bank_views.urls import urlpatterns as bank_urlpatterns

app_name = "assessments"

urlpatterns = [
    path("exams/", views.exam_list, name="exam_list"),
    path("exams/<slug:slug>/", views.exam_detail, name="exam_detail"),
    path(
        "exams/attempts/<int:attempt_id>/q/<int:position>/",
        views.attempt_question,
        name="attempt_question",
    ),
    path(
        "exams/attempts/<int:attempt_id>/review/",
        views.attempt_review,
        name="attempt_review",
    ),
    path(
        "exams/attempts/<int:attempt_id>/submit/",
        views.attempt_submit,
        name="attempt_submit",
    ),
    path(
        "exams/attempts/<int:attempt_id>/result/",
        views.attempt_result,
        name="attempt_result",
    ),
    path("practical/", practical_views.practical_list, name="practical_list"),
    path("practical/new/", practical_views.practical_start, name="practical_start"),
    path("practical/find/", practical_views.practical_find, name="practical_find"),
    path(
        "practical/<int:assessment_id>/",
        practical_views.practical_score,
        name="practical_score",
    ),
    path(
        "practical/<int:assessment_id>/summary/",
        practical_views.practical_summary,
        name="practical_summary",
    ),
    path(
        "practical/<int:assessment_id>/result/",
        practical_views.practical_detail,
        name="practical_detail",
    ),
    path(
        "practical/evidence/<int:evidence_id>/",
        practical_views.evidence_photo,
        name="evidence_photo",
    ),
    path("grading/", views.grading_queue, name="grading_queue"),
    path(
        "question-banks/<slug:slug>/analysis/",
        views.bank_analysis,
        name="bank_analysis",
    ),
    path(
        "question-banks/<slug:slug>/import/",
        bank_io_views.bank_import,
        name="bank_import",
    ),
    path(
        "question-banks/<slug:slug>/export.xml",
        bank_io_views.bank_export,
        name="bank_export",
    ),
] + bank_urlpatterns
