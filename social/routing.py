from __future__ import annotations

from django.urls import re_path

from social.consumers import MeConsumer

websocket_urlpatterns = [
    re_path(r"^ws/me/$", MeConsumer.as_asgi()),
]
