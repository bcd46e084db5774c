"""WebSocket routes of every app; each app that has a socket adds its own list here."""

from __future__ import annotations

from typing import Any

from streams.routing import websocket_urlpatterns as stream_routes

websocket_urlpatterns: list[Any] = [*stream_routes]
