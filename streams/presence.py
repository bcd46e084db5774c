"""Who is watching: viewers counted across every ASGI process and node through Redis.

A viewer (a signed-in user, or one anonymous browser session) counts once however many tabs
they have open. Each socket is a connection id in the viewer's set; the viewer sits in the
room's sorted set with an expiry time that heartbeats push forward, so a crashed process
stops counting its viewers after PRESENCE_TTL_SECONDS. Without Redis (a laptop with zero
configuration) an in-process store with the same behaviour stands in.

Each live stream also has an audience: every distinct viewer seen during it (a HyperLogLog in
Redis, fixed size whatever the crowd; a set in-process). Joins and heartbeats add to it, and
the minute sampler copies its count into Stream.unique_viewers (streams/audience.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from typing import Protocol

import redis
import redis.asyncio as aredis
from django.conf import settings

_LEAVE = """
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[2]) end
return 1
"""


# redis-py 8 refuses a connection past max_connections ("Too many connections") instead of
# waiting: a blocking pool makes a burst of 1,000 joins queue for a moment instead of failing.
POOL: dict[str, float] = {
    "max_connections": 64,
    "timeout": 10,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}


REFRESH_SLICE = 250  # viewers per heartbeat pipeline

# A stream's audience outlives it long enough for the end-of-stream figures to be read.
AUDIENCE_TTL_SECONDS = 2 * 24 * 3600


def _keys(slug: str, viewer: str) -> tuple[str, str]:
    return f"presence:{slug}:viewers", f"presence:{slug}:conns:{viewer}"


def _audience_key(stream_id: int) -> str:
    return f"audience:stream:{stream_id}"


class PresenceStore(Protocol):
    async def join(self, slug: str, viewer: str, conn: str, stream_id: int | None = None) -> None: ...
    async def refresh(self, slug: str, viewers: dict[str, list[str]], stream_id: int | None) -> None: ...
    async def leave(self, slug: str, viewer: str, conn: str) -> None: ...
    async def count(self, slug: str) -> int: ...
    async def claim_broadcast(self, slug: str, seconds: float) -> bool: ...
    def count_sync(self, slug: str) -> int: ...
    def viewers_sync(self, slug: str) -> list[str]: ...
    def audience_count(self, stream_id: int) -> int: ...


class RedisPresence:
    def __init__(self, url: str) -> None:
        self.url = url
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aredis.Redis] = (
            weakref.WeakKeyDictionary()
        )
        self._sync = redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(url, **POOL))

    def _client(self) -> aredis.Redis:
        loop = asyncio.get_running_loop()  # one client per event loop: connections are bound to it
        client = self._async.get(loop)
        if client is None:
            client = aredis.Redis(connection_pool=aredis.BlockingConnectionPool.from_url(self.url, **POOL))
            self._async[loop] = client
        return client

    async def join(self, slug: str, viewer: str, conn: str, stream_id: int | None = None) -> None:
        await self._push(slug, {viewer: [conn]}, stream_id)

    async def refresh(self, slug: str, viewers: dict[str, list[str]], stream_id: int | None) -> None:
        """Push every listed viewer's expiry forward (viewer key -> its connection ids here)."""
        await self._push(slug, viewers, stream_id)

    async def _push(self, slug: str, viewers: dict[str, list[str]], stream_id: int | None) -> None:
        ttl = settings.PRESENCE_TTL_SECONDS
        room, _ = _keys(slug, "")
        keys = list(viewers)
        # In slices: a pipeline of 1,500 viewers would hold the event loop while it is packed.
        for start in range(0, len(keys), REFRESH_SLICE):
            chunk = keys[start : start + REFRESH_SLICE]
            async with self._client().pipeline(transaction=True) as pipe:
                for viewer in chunk:
                    _, conns = _keys(slug, viewer)
                    pipe.sadd(conns, *viewers[viewer])
                    pipe.expire(conns, ttl)
                pipe.zadd(room, dict.fromkeys(chunk, time.time() + ttl))
                pipe.expire(room, ttl * 4)
                if stream_id is not None:
                    pipe.pfadd(_audience_key(stream_id), *chunk)
                    pipe.expire(_audience_key(stream_id), AUDIENCE_TTL_SECONDS)
                await pipe.execute()

    async def leave(self, slug: str, viewer: str, conn: str) -> None:
        viewers, conns = _keys(slug, viewer)
        await self._client().eval(_LEAVE, 2, viewers, conns, conn, viewer)

    async def count(self, slug: str) -> int:
        viewers, _ = _keys(slug, "")
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(viewers, "-inf", time.time())
            pipe.zcard(viewers)
            _, total = await pipe.execute()
        return int(total)

    async def claim_broadcast(self, slug: str, seconds: float) -> bool:
        claimed = await self._client().set(f"presence:{slug}:tick", 1, nx=True, px=int(seconds * 1000))
        return bool(claimed)

    def count_sync(self, slug: str) -> int:
        viewers, _ = _keys(slug, "")
        with self._sync.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(viewers, "-inf", time.time())
            pipe.zcard(viewers)
            _, total = pipe.execute()
        return int(total)

    def audience_count(self, stream_id: int) -> int:
        return int(self._sync.pfcount(_audience_key(stream_id)))

    def viewers_sync(self, slug: str) -> list[str]:
        viewers, _ = _keys(slug, "")
        members = self._sync.zrangebyscore(viewers, time.time(), "+inf")
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]


class LocalPresence:
    """The same semantics in one process, for zero-configuration runs and tests without Redis."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expiry: dict[str, dict[str, float]] = {}
        self._conns: dict[tuple[str, str], set[str]] = {}
        self._ticks: dict[str, float] = {}
        self._audiences: dict[int, set[str]] = {}

    async def join(self, slug: str, viewer: str, conn: str, stream_id: int | None = None) -> None:
        with self._lock:
            self._conns.setdefault((slug, viewer), set()).add(conn)
            self._expiry.setdefault(slug, {})[viewer] = time.time() + settings.PRESENCE_TTL_SECONDS
            if stream_id is not None:
                self._audiences.setdefault(stream_id, set()).add(viewer)

    async def refresh(self, slug: str, viewers: dict[str, list[str]], stream_id: int | None) -> None:
        for viewer, conns in viewers.items():
            for conn in conns:
                await self.join(slug, viewer, conn, stream_id)

    async def leave(self, slug: str, viewer: str, conn: str) -> None:
        with self._lock:
            conns = self._conns.get((slug, viewer), set())
            conns.discard(conn)
            if not conns:
                self._conns.pop((slug, viewer), None)
                self._expiry.get(slug, {}).pop(viewer, None)

    async def count(self, slug: str) -> int:
        return self.count_sync(slug)

    async def claim_broadcast(self, slug: str, seconds: float) -> bool:
        with self._lock:
            now = time.monotonic()
            if self._ticks.get(slug, 0) > now:
                return False
            self._ticks[slug] = now + seconds
            return True

    def count_sync(self, slug: str) -> int:
        with self._lock:
            now = time.time()
            room = self._expiry.get(slug, {})
            for viewer in [v for v, expiry in room.items() if expiry <= now]:
                del room[viewer]
            return len(room)

    def audience_count(self, stream_id: int) -> int:
        with self._lock:
            return len(self._audiences.get(stream_id, ()))

    def viewers_sync(self, slug: str) -> list[str]:
        with self._lock:
            now = time.time()
            return [v for v, expiry in self._expiry.get(slug, {}).items() if expiry > now]


_store: PresenceStore | None = None
_store_lock = threading.Lock()


def store() -> PresenceStore:
    global _store
    with _store_lock:
        if _store is None:
            _store = RedisPresence(settings.REDIS_URL) if settings.REDIS_URL else LocalPresence()
        return _store


def viewer_count(slug: str) -> int:
    """Current viewers of a room, from any process (API, tasks, pages)."""
    return store().count_sync(slug)


def signed_in_viewers(slug: str) -> list[int]:
    """User ids of the signed-in viewers in a room now (gift subscriptions pick among them)."""
    return [int(key[1:]) for key in store().viewers_sync(slug) if key.startswith("u") and key[1:].isdigit()]


def audience_count(stream_id: int) -> int:
    """Distinct viewers seen during a live stream so far (Redis: a HyperLogLog, within ~1% for big crowds)."""
    return store().audience_count(stream_id)
