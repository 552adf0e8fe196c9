from django.urls import path

from lms.home import views
from lms.kernel.headers import private_answer

app_name = "home"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/", private_answer(views.account), name="account"),
]
