"""ASGI entry point: HTTP through Django, WebSockets through Channels' routers."""

from __future__ import annotations

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aethex.settings")
django_asgi_app = get_asgi_application()  # populates the app registry before consumers import models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from aethex.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything built so far (Django, the URL map, every imported module) lives as long as the
# process: keep it out of the collector's full passes, which otherwise walk it again for each
# pause (hundreds of ms on a worker holding thousands of sockets).
gc.freeze()
