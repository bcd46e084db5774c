"""The alerts overlay socket /ws/overlay/<slug>/alerts/?token=...: read-only, for OBS browser sources.

Server → client: `ready`, `alert {alert: {id, kind, title, detail, message, amount, duration, sound,
volume, tts, test}}`, `pong`, `error {code, message}`. Client → server: `ping` only.
A wrong token, or a token rotated away while connected, closes the socket with 4403.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from integrations import realtime, selectors

CLOSE_FORBIDDEN = 4403


class AlertsConsumer(AsyncJsonWebsocketConsumer):
    group = ""
    version = 0

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        token = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        found = await database_sync_to_async(selectors.alert_settings_for_token)(slug=slug, token=token)
        await self.accept()
        if found is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.version = found.token_version
        self.group = realtime.alerts_group(found.channel_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # A rotation that committed between the check and group_add was broadcast before we
        # listened: look again now that we do.
        if await database_sync_to_async(selectors.alert_settings_for_token)(slug=slug, token=token) is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json({"type": "ready"})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if not self.group:
            return
        try:
            content = json.loads(text_data or "")
        except ValueError:
            content = None
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "read_only", "message": "Only ping is accepted."})

    # Group handlers: only send (or close).
    async def alert_show(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "alert", "alert": event["alert"]})

    async def alert_rotated(self, event: dict[str, Any]) -> None:
        if event["version"] > self.version:
            await self.close(code=CLOSE_FORBIDDEN)
