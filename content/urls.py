from django.urls import path

from content import views

app_name = "content"

urlpatterns = [path("content/review/", views.review_list, name="review_list")]
