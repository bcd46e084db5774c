"""The room socket /ws/chat/<slug>/: every viewer's page holds one.

It counts the viewer (presence) and carries `stream.status` and `presence` frames; the chat
app adds its frames to the same socket. Every room frame reaches the socket through the
process's hub (streams/hub.py), not through a channel-layer group: a group costs a layer
delivery per socket per frame, and a room of thousands collapses under it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from aethex.lib.wsframe import RawSocket
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from streams import presence, selectors
from streams.beat import RoomBeat
from streams.hub import hub, room_topic

logger = logging.getLogger(__name__)
PRESENCE_DEBOUNCE_SECONDS = 1.0
CLOSE_NOT_FOUND = 4404
STATUS = "stream.status"

# slug -> the live stream a room of this process shows, kept by the hub from `stream.status`
# frames so that heartbeats put viewers in the right audience without a query or a frame each.
_live_streams: dict[str, int | None] = {}


def _remember_live_stream(topic: str, frame: dict[str, Any]) -> None:
    _live_streams[frame.get("channel", "")] = frame.get("stream_id")


# The process's presence heartbeat: one refresh per room per beat for all its counted sockets.
room_beat = RoomBeat(stream_of=_live_streams.get)


class RoomConsumer(AsyncJsonWebsocketConsumer):
    channel_layer_alias = "none"  # no layer: frames come from the hub
    channel: Channel
    viewer_key: str
    conn_id: str
    counted = False
    topics: tuple[str, ...] = ()

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        channel = await database_sync_to_async(channel_selectors.channel_get)(slug=slug)
        if channel is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.channel = channel
        self.viewer_key = self._viewer_key()
        self.conn_id = secrets.token_hex(8)
        await self.accept()
        # OBS overlays hold the socket to read chat; they are not viewers.
        self.counted = b"overlay=1" not in self.scope.get("query_string", b"")
        status = await database_sync_to_async(selectors.stream_status)(channel=channel)
        _live_streams[channel.slug] = status.get("stream_id")
        hub().observe(STATUS, _remember_live_stream)
        await self.join_topics(room_topic(channel.slug))
        if self.counted:
            await self._count_viewer()
            room_beat.add(channel.slug, self.conn_id, self.viewer_key)
        await self.send_json({"type": STATUS, **status})
        await self._announce_presence()

    async def join_topics(self, *topics: str) -> None:
        raw = RawSocket.of(self.base_send)
        for topic in topics:
            await hub().join(topic, self._write, raw)
        self.topics += topics

    async def _write(self, text: str) -> None:
        await self.send(text_data=text)

    @property
    def live_stream_id(self) -> int | None:
        """The live session this viewer is in the audience of."""
        return _live_streams.get(self.channel.slug)

    async def _count_viewer(self) -> None:
        # Presence is a figure, not a gate: when Redis is slow to hand out a connection (a burst
        # of thousands of joins), the viewer still watches and chats, and the next beat counts them.
        try:
            await presence.store().join(self.channel.slug, self.viewer_key, self.conn_id, self.live_stream_id)
        except Exception:
            logger.warning("presence join failed for %s", self.channel.slug, exc_info=True)

    def _viewer_key(self) -> str:
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        # An anonymous viewer without a session cookie counts once per socket.
        return f"s{key}" if key else f"a{secrets.token_hex(8)}"

    async def _announce_presence(self) -> None:
        """Tell the room its count, at most once a second whatever the churn (one process does it)."""
        slug = self.channel.slug
        try:
            claimed = await presence.store().claim_broadcast(slug, PRESENCE_DEBOUNCE_SECONDS)
        except Exception:  # another socket's join or leave announces the count soon enough
            logger.warning("presence broadcast claim failed for %s", slug, exc_info=True)
            return
        if claimed:
            asyncio.get_running_loop().call_later(
                PRESENCE_DEBOUNCE_SECONDS, lambda: asyncio.ensure_future(self._broadcast_count(slug))
            )

    async def _broadcast_count(self, slug: str) -> None:
        viewers = await presence.store().count(slug)
        await hub().apublish(room_topic(slug), {"type": "presence", "viewers": viewers})

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "channel"):
            return
        for topic in self.topics:
            await hub().leave(topic, self._write)
        if self.counted:
            room_beat.discard(self.channel.slug, self.conn_id)
            try:
                await presence.store().leave(self.channel.slug, self.viewer_key, self.conn_id)
            except Exception:  # the entry expires on its own after PRESENCE_TTL_SECONDS
                logger.warning("presence leave failed for %s", self.channel.slug, exc_info=True)
        await self._announce_presence()

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        try:
            content = json.loads(text_data or "")
        except ValueError:
            await self.send_json({"type": "error", "code": "invalid", "message": "Frames are JSON objects."})
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.send_json(
            {"type": "error", "code": "unknown_type", "message": f"Unknown frame type: {kind!r}."}
        )
