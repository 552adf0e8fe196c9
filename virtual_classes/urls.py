from django.urls import path

from virtual_classes import views

app_name = "virtual_classes"

urlpatterns = [
    path("classes/new/", views.schedule, name="schedule"),
    path("classes/<int:pk>/", views.detail, name="detail"),
    path("classes/<int:pk>/calendar.ics", views.ics, name="ics"),
    path("classes/<int:pk>/attendance.csv", views.attendance_csv, name="attendance"),
]
