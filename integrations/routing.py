from __future__ import annotations

from django.urls import re_path

from integrations.consumers import AlertsConsumer

websocket_urlpatterns = [
    re_path(r"^ws/overlay/(?P<slug>[A-Za-z0-9_]{3,25})/alerts/$", AlertsConsumer.as_asgi()),
]
