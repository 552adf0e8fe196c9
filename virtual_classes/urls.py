from django.urls import path

from virtual_classes import views
from virtual_classes.views import teaching

app_name = "virtual_classes"

urlpatterns = [
    path("classes/new/", views.schedule, name="schedule"),
    path("classes/mine/", teaching.my_classes, name="mine"),
    path("classes/series/new/", teaching.series, name="series"),
    path("classes/recordings/", teaching.recordings, name="recordings"),
    path(
        "classes/recordings/<int:pk>/publish/",
        teaching.recording_publish,
        name="recording_publish",
    ),
    path("classes/<int:pk>/", views.detail, name="detail"),
    path("classes/<int:pk>/edit/", teaching.edit, name="edit"),
    path("classes/<int:pk>/cancel/", teaching.cancel, name="cancel"),
    path("classes/<int:pk>/calendar.ics", views.ics, name="ics"),
    path("classes/<int:pk>/attendance.csv", views.attendance_csv, name="attendance"),
]
