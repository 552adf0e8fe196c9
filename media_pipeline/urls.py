from django.urls import path

from media_pipeline import views

app_name = "media_pipeline"

urlpatterns = [path("content/videos/", views.video_list, name="video_list")]
