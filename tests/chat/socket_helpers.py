"""Talking to the room socket in tests: connect as someone, read frames of a kind."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from chat.routing import websocket_urlpatterns


async def connect(slug: str, user: Any = None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/chat/{slug}/")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def frame_of(communicator: WebsocketCommunicator, kind: str, timeout: float = 8) -> dict[str, Any]:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def no_frame_of(communicator: WebsocketCommunicator, kind: str, wait: float = 0.5) -> bool:
    """True if no frame of this kind arrives before the socket goes quiet for `wait` seconds.

    (A receive that times out would cancel the application, so this drains with receive_nothing.)
    """
    while not await communicator.receive_nothing(timeout=wait):
        frame = await communicator.receive_json_from()
        if frame["type"] == kind:
            return False
    return True
