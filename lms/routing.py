"""Every WebSocket route of the platform."""

from virtual_classes.routing import websocket_urlpatterns as class_routes

websocket_urlpatterns = [*class_routes]
