"""The bank pages' routes, part of the `assessments` namespace (assessments/urls.py
adds them)."""

from django.urls import path

from assessments.bank_views import banks, editor

urlpatterns = [
    path("question-banks/", banks.bank_list, name="bank_list"),
    path("question-banks/<slug:slug>/", banks.bank_detail, name="bank_detail"),
    path(
        "question-banks/<slug:slug>/categories/",
        banks.category_action,
        name="bank_category",
    ),
    path(
        "question-banks/<slug:slug>/questions/new/",
        editor.question_new,
        name="question_new",
    ),
    path(
        "question-banks/<slug:slug>/questions/preview/",
        editor.question_preview_view,
        name="question_preview",
    ),
    path(
        "question-banks/<slug:slug>/questions/<int:question_id>/",
        editor.question_edit,
        name="question_edit",
    ),
    path(
        "question-banks/<slug:slug>/questions/<int:question_id>/status/",
        editor.question_status,
        name="question_status",
    ),
]
