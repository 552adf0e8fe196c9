from django.urls import path

from virtual_classes.consumers import ClassroomConsumer

websocket_urlpatterns = [
    path("ws/classes/<int:class_id>/", ClassroomConsumer.as_asgi()),
]
