"""The personal socket /ws/me/: one per signed-in tab, carrying the bell's notifications.

Server → client: `notification.unread {count}` (on connect and after every read),
`notification.new {notification}`, `error {code, message}`, `pong`.
Client → server: `notification.read {id}`, `notification.read_all`, `ping`.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts.models import User
from social import realtime, selectors, services

CLOSE_NOT_AUTHENTICATED = 4401


class MeConsumer(AsyncJsonWebsocketConsumer):
    user: User
    group = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self._error("not_authenticated", "Sign in to receive notifications.")
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        self.group = realtime.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        count = await database_sync_to_async(selectors.unread_count)(user=user)
        await self.send_json({"type": "notification.unread", "count": count})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        try:
            content = json.loads(text_data or "")
        except ValueError:
            await self._error("invalid", "Frames are JSON objects.")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not self.group:
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "notification.read":
            if not await database_sync_to_async(self._mark_read)(content.get("id")):
                await self._error("not_found", "No such notification.")
        elif kind == "notification.read_all":
            await database_sync_to_async(self._mark_all_read)()
        else:
            await self._error("unknown_type", f"Unknown frame type: {kind!r}.")

    def _mark_read(self, notification_id: Any) -> bool:
        notification = selectors.notification_get(user=self.user, notification_id=notification_id)
        if notification is None:
            return False
        services.notification_mark_read(notification=notification)
        return True

    def _mark_all_read(self) -> None:
        services.notifications_mark_all_read(user=self.user)

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # Group handlers: only send.
    async def notification_new(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.new", "notification": event["notification"]})

    async def notification_unread(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.unread", "count": event["count"]})
