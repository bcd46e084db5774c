"""The alerts overlay socket in tests."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from aethex.routing import websocket_urlpatterns


async def connect_overlay(slug: str, token: str | None) -> WebsocketCommunicator:
    query = f"?token={token}" if token is not None else ""
    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/overlay/{slug}/alerts/{query}"
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def frame_of(communicator: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict[str, Any]:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def quiet(communicator: WebsocketCommunicator, wait: float = 0.4) -> bool:
    """True if nothing at all arrives for `wait` seconds (no alert slipped through)."""
    return await communicator.receive_nothing(timeout=wait)
