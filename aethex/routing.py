"""WebSocket routes of every app; each app that has a socket adds its own list here."""

from __future__ import annotations

from typing import Any

from chat.routing import websocket_urlpatterns as chat_routes
from integrations.routing import websocket_urlpatterns as integrations_routes
from social.routing import websocket_urlpatterns as social_routes

# The room socket /ws/chat/<slug>/ is chat's consumer (it extends streams' presence/status room).
# /ws/me/ is social's personal socket (notifications).
# /ws/overlay/<slug>/alerts/ is integrations' OBS alerts overlay (token in the query string).
websocket_urlpatterns: list[Any] = [*chat_routes, *social_routes, *integrations_routes]
