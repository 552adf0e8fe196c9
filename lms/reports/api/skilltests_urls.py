from django.urls import path

from lms.reports.api import skilltests

app_name = "skilltests-api"

urlpatterns = [
    path("centres/", skilltests.CentreFiguresView.as_view(), name="centres"),
    path(
        "figures/by/<slug:dimension>/",
        skilltests.ServiceFiguresView.as_view(),
        name="figures",
    ),
]
