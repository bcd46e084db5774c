"""WebSocket routes of every app; each app that has a socket adds its own list here."""

from __future__ import annotations

from typing import Any

from chat.routing import websocket_urlpatterns as chat_routes

# The room socket /ws/chat/<slug>/ is chat's consumer (it extends streams' presence/status room).
websocket_urlpatterns: list[Any] = [*chat_routes]
