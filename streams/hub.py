"""Room fan-out: one subscription per room per process feeding that process's sockets.

Every frame of the room socket goes through here: chat, presence, stream status, alerts in chat.

The textbook Channels pattern (each socket its own channel in a group) costs a channel-layer
delivery and a dispatch per socket per message and collapses at ~1,000 viewers
(shared/bench/chat-fanout). Here a frame is JSON-encoded once by the publisher, published
once (Redis PUBLISH), received once per process by a single listener, and written to each
local socket. Without Redis (zero configuration) the hub dispatches in-process.

Under uvicorn the frame is also framed once: each socket then costs one transport write
(aethex/lib/wsframe.py); other servers and test communicators go through the ASGI send.

Topics: "room:<slug>" (every viewer), "mods:<slug>" (moderators of the channel).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import redis
import redis.asyncio as aredis
from django.conf import settings

from aethex.lib.wsframe import RawSocket, text_frame
from streams.presence import POOL

logger = logging.getLogger(__name__)
Sender = Callable[[str], Awaitable[None]]
Observer = Callable[[str, dict[str, Any]], None]
_PREFIX = "chat:"


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


class Hub:
    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        # topic -> {ASGI sender: its raw socket, or None where frames must go through ASGI}
        self.rooms: dict[str, dict[Sender, RawSocket | None]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._pubsub: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._resubscribe = False
        self._sync_client = (
            redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(redis_url, **POOL))
            if redis_url
            else None
        )
        self._async_client: aredis.Redis | None = None
        # (frame prefix, callback): process-level state that follows some frames, read once per
        # frame per process instead of once per socket (e.g. which stream a room is showing).
        self._observers: list[tuple[bytes, Observer]] = []

    def observe(self, kind: str, callback: Observer) -> None:
        """Call `callback(topic, frame)` once per process for each dispatched frame of `kind`."""
        prefix = encode({"type": kind})[:-1].encode()  # frames are encoded with "type" first
        if (prefix, callback) not in self._observers:
            self._observers.append((prefix, callback))

    # --- local sockets ---------------------------------------------------------------
    async def join(self, topic: str, send: Sender, raw: RawSocket | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        first = topic not in self.rooms
        self.rooms.setdefault(topic, {})[send] = raw
        if first and self.redis_url:
            await self._subscribe(topic)

    async def leave(self, topic: str, send: Sender) -> None:
        senders = self.rooms.get(topic)
        if senders is None:
            return
        senders.pop(send, None)
        if not senders:
            del self.rooms[topic]
            if self._pubsub is not None:
                with contextlib.suppress(Exception):
                    await self._pubsub.unsubscribe(_PREFIX + topic)

    async def _dispatch(self, topic: str, data: bytes) -> None:
        """Deliver one encoded frame (UTF-8 JSON) to this process's sockets of the topic."""
        for prefix, callback in self._observers:
            if data.startswith(prefix):
                callback(topic, json.loads(data))
        room = self.rooms.get(topic)
        if not room:
            return
        frame = text_frame(data)
        slow: list[Sender] = []
        # Raw writes never yield, so the room cannot change under them; ASGI sends can.
        for send, raw in room.items():
            if raw is None:
                slow.append(send)
            else:
                raw.write(frame)  # a closed socket leaves the room from its consumer's disconnect
        text = data.decode() if slow else ""
        for send in slow:
            try:
                await send(text)
            except Exception:  # one broken socket must not stop the others
                logger.debug("dropping a frame for a closed socket", exc_info=True)

    # --- Redis ------------------------------------------------------------------------
    def _new_async_client(self) -> aredis.Redis:
        return aredis.Redis(connection_pool=aredis.BlockingConnectionPool.from_url(self.redis_url, **POOL))

    async def _subscribe(self, topic: str) -> None:
        if self._pubsub is None:
            # A connection of its own, outside the shared pool: a burst of joins holding the
            # pool's connections must never leave a room unsubscribed in this process.
            client = aredis.Redis.from_url(self.redis_url, socket_connect_timeout=2)
            self._pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await self._pubsub.subscribe(_PREFIX + topic)
        except Exception:
            logger.warning("room hub could not subscribe to %s; the listener retries", topic, exc_info=True)
            self._resubscribe = True
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        while self.rooms:
            try:
                if self._resubscribe:
                    await self._pubsub.subscribe(*(_PREFIX + topic for topic in self.rooms))
                    self._resubscribe = False
                message = await self._pubsub.get_message(timeout=1.0)
            except Exception:
                logger.warning("room hub lost Redis; retrying", exc_info=True)
                self._resubscribe = True
                await asyncio.sleep(1)
                continue
            if message and message.get("type") == "message":
                topic = message["channel"].decode()[len(_PREFIX) :]
                await self._dispatch(topic, message["data"])

    # --- publishing (any thread, any process) -----------------------------------------
    def publish(self, topic: str, frame: dict[str, Any]) -> None:
        """Send a frame to every socket of a topic, in every process. Callable from sync code."""
        text = encode(frame)
        if self._sync_client is not None:
            self._sync_client.publish(_PREFIX + topic, text)
        elif self.loop is not None and self.loop.is_running() and topic in self.rooms:
            asyncio.run_coroutine_threadsafe(self._dispatch(topic, text.encode()), self.loop)

    async def apublish(self, topic: str, frame: dict[str, Any]) -> None:
        text = encode(frame)
        if self.redis_url:
            if self._async_client is None:
                self._async_client = self._new_async_client()
            await self._async_client.publish(_PREFIX + topic, text)
        else:
            await self._dispatch(topic, text.encode())


_hub: Hub | None = None
_lock = threading.Lock()


def hub() -> Hub:
    global _hub
    with _lock:
        if _hub is None:
            _hub = Hub(settings.REDIS_URL)
        return _hub


def room_topic(slug: str) -> str:
    return f"room:{slug}"


def mods_topic(slug: str) -> str:
    return f"mods:{slug}"
