from django.urls import path

from lms.reports.api import views

app_name = "reports-api"

urlpatterns = [
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("pass-rates/", views.PassRatesView.as_view(), name="pass-rates"),
    path(
        "<slug:metric>/by/<slug:dimension>/",
        views.BreakdownView.as_view(),
        name="breakdown",
    ),
]
