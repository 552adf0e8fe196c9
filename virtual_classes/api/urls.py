from django.urls import path

from virtual_classes.api import views

urlpatterns = [
    path("classes/", views.LiveClassListView.as_view(), name="classes"),
    path("classes/<int:pk>/join/", views.JoinView.as_view(), name="class-join"),
    path(
        "classes/<int:pk>/attendance/",
        views.AttendanceView.as_view(),
        name="class-attendance",
    ),
    path(
        "classes/jitsi/events/",
        views.JitsiEventsView.as_view(),
        name="class-jitsi-events",
    ),
]
