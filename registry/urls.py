from django.urls import path

from registry import staff_views, views, views_audit

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
    path("registry/search/", staff_views.certificate_search_page, name="search"),
    path(
        "registry/certificates/<str:serial>/",
        staff_views.certificate_detail,
        name="certificate_detail",
    ),
    path("registry/pending/", views.pending_list, name="pending"),
    path(
        "registry/certificates/<str:serial>/approve/",
        views.certificate_approve,
        name="approve",
    ),
    path(
        "registry/certificates/<str:serial>/revoke/",
        views.certificate_revoke,
        name="revoke",
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
