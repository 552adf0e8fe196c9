from django.urls import path

from registry.api import views

urlpatterns = [
    path("verify/<str:serial>/", views.VerifyView.as_view(), name="registry-verify"),
    path("registry/keys/", views.KeysView.as_view(), name="registry-keys"),
    path(
        "registry/certificates/",
        views.CertificateListView.as_view(),
        name="registry-certificates",
    ),
    path(
        "registry/certificates/lookup/",
        views.LookupView.as_view(),
        name="registry-lookup",
    ),
    path(
        "registry/certificates/<str:serial>/",
        views.CertificateDetailView.as_view(),
        name="registry-certificate",
    ),
    path(
        "registry/certificates/<str:serial>/revoke/",
        views.RevokeView.as_view(),
        name="registry-revoke",
    ),
    path(
        "registry/statistics/",
        views.StatisticsView.as_view(),
        name="registry-statistics",
    ),
]
