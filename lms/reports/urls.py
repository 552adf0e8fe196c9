from django.urls import path

from lms.reports import views, workload_views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("workload/", workload_views.workload, name="workload"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
]
