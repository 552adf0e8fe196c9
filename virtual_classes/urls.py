app_name = "virtual_classes"

urlpatterns: list = []
