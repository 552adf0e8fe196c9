from django.urls import path

from lms.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
]
