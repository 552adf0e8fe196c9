app_name = "media_pipeline"

urlpatterns: list = []
