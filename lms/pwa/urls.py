from django.urls import path

from lms.pwa import views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
]
