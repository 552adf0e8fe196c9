"""ASGI entry point: HTTP and WebSocket through one server (uvicorn)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from lms.routing import websocket_urlpatterns  # noqa: E402
from registry.verify_asgi import VerifyFastPath  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The public JSON verification is answered before Django when it can be.
        "http": VerifyFastPath(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What start-up loaded (~175,000 objects) lives as long as the process: move it out of
# the collector's reach. A full collection over it took ~95 ms on the 2-core machine,
# a stall for every request in flight on that worker; frozen, it scans request garbage.
gc.collect()
gc.freeze()
