from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/search/", views.search, name="search"),
    path("catalog/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("catalog/<int:course_id>/leave/", views.leave, name="leave"),
    path("teach/", views.instructor_courses, name="instructor_courses"),
    path("teach/<int:course_id>/cohort/", views.cohort, name="cohort"),
    path("teach/<int:course_id>/cohort.csv", views.cohort_csv, name="cohort_csv"),
]
