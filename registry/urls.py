from django.urls import path

from registry import (
    review_views,
    staff_views,
    views,
    views_audit,
    views_credentials,
)

app_name = "registry"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("certificates/", views.holder_certificates, name="holder_certificates"),
    path(
        "certificates/<str:serial>/pdf/",
        views.certificate_pdf_download,
        name="certificate_pdf",
    ),
    path(
        "certificates/<str:serial>/credential.json",
        views.certificate_credential_download,
        name="certificate_credential",
    ),
    path(
        "certificates/<str:serial>/badge.png",
        views_credentials.certificate_badge,
        name="certificate_badge",
    ),
    path(".well-known/did.json", views_credentials.did_json, name="did_document"),
    path(
        "credentials/status/<int:number>/",
        views_credentials.status_list_json,
        name="status_list",
    ),
    path(
        "achievements/<str:occupation_code>/<slug:level_code>/",
        views_credentials.achievement,
        name="achievement",
    ),
    path(
        "achievements/<str:occupation_code>/<slug:level_code>.json",
        views_credentials.achievement,
        {"as_json": True},
        name="achievement_json",
    ),
    path("registry/pending/", review_views.pending_list, name="pending"),
    path(
        "registry/pending/confirm/",
        review_views.pending_confirm,
        name="pending_confirm",
    ),
    path("registry/search/", staff_views.certificate_search_page, name="search"),
    path(
        "registry/certificates/<str:serial>/",
        staff_views.certificate_detail,
        name="certificate_detail",
    ),
    path(
        "registry/certificates/<str:serial>/approve/",
        review_views.certificate_approve,
        name="approve",
    ),
    path(
        "registry/certificates/<str:serial>/revoke/",
        review_views.certificate_revoke,
        name="revoke",
    ),
    path("registry/batches/", review_views.batch_list, name="batch_list"),
    path("registry/batches/<int:pk>/", review_views.batch_detail, name="batch_detail"),
    path(
        "registry/batches/<int:pk>/approve/",
        review_views.batch_approve,
        name="batch_approve",
    ),
    path(
        "registry/batches/<int:pk>/reject/",
        review_views.batch_reject,
        name="batch_reject",
    ),
    path(
        "registry/batches/<int:pk>/reject-rows/",
        review_views.batch_reject_rows,
        name="batch_reject_rows",
    ),
    path("registry/revocations/", review_views.revocation_list, name="revocations"),
    path(
        "registry/revocations/<int:pk>/confirm/",
        review_views.revocation_confirm,
        name="revocation_confirm",
    ),
    path(
        "registry/revocations/<int:pk>/cancel/",
        review_views.revocation_cancel,
        name="revocation_cancel",
    ),
    path("registry/audit/", views_audit.audit_log, name="audit_log"),
    path("registry/audit/export.csv", views_audit.audit_export, name="audit_export"),
    path(
        "registry/audit/checkpoints.json",
        views_audit.audit_checkpoints_json,
        name="audit_checkpoints",
    ),
    path("registry/import/", views.import_upload, name="import_upload"),
    path("registry/import/<int:pk>/", views.import_status, name="import_status"),
    path(
        "registry/import/<int:pk>/status.json",
        views.import_status_json,
        name="import_status_json",
    ),
    path(
        "registry/import/<int:pk>/rejections.csv",
        views.import_rejections,
        name="import_rejections",
    ),
]
