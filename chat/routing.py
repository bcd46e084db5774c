from __future__ import annotations

from django.urls import re_path

from chat.consumers import ChatRoomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<slug>[A-Za-z0-9_]{3,25})/$", ChatRoomConsumer.as_asgi()),
]
