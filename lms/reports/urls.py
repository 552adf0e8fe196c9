from django.urls import path

from lms.reports import skilltest_views, views, workload_views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("workload/", workload_views.workload, name="workload"),
    path("skill-tests/", skilltest_views.skill_tests, name="skill_tests"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
]
