from __future__ import annotations

from django.urls import re_path

from streams.consumers import RoomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<slug>[A-Za-z0-9_]{3,25})/$", RoomConsumer.as_asgi()),
]
