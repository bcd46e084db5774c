"""The Redis cache under Channels: every socket task of a process shares one client and pool."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache, caches

pytestmark = pytest.mark.redis


async def test_socket_tasks_share_one_redis_pool_instead_of_one_each() -> None:
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis: set REDIS_URL")

    async def socket_task(i: int):
        # What a consumer does: cache calls from its own task, directly and on the sync thread.
        await cache.aset(f"socket:{i}", i)
        assert await cache.aget(f"socket:{i}") == i
        backend: Any = caches["default"]
        return await sync_to_async(lambda: backend._cache.get_client(write=True).connection_pool)()

    # Each connection's task starts in a context of its own, as under uvicorn: Django's `caches`
    # is context-local, so every task gets a cache object of its own.
    tasks = [asyncio.create_task(socket_task(i), context=contextvars.Context()) for i in range(40)]
    pools = await asyncio.gather(*tasks)

    assert len({id(pool) for pool in pools}) == 1
    # Calls that never overlap reuse the pool's connections: far fewer than one per socket.
    assert len(pools[0]._connections) < 10


def test_count_and_set_counts_and_sets_in_one_round_trip(monkeypatch) -> None:
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis: set REDIS_URL")
    import redis

    from aethex.cache import count_and_set

    trips = []
    execute = redis.client.Pipeline.execute

    def counted(self: Any) -> Any:
        trips.append(1)
        return execute(self)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted)
    for _ in range(3):
        count_and_set("sent", 60, {"last": {"at": 1.5}}, 3600)
    assert cache.get("sent") == 3 and cache.get("last") == {"at": 1.5}
    assert len(trips) == 3  # one each
    backend: Any = caches["default"]
    client = backend._cache.get_client()
    assert 0 < client.ttl(backend.make_and_validate_key("sent")) <= 60
    assert 3500 < client.ttl(backend.make_and_validate_key("last")) <= 3600


def test_count_and_set_on_another_backend(settings) -> None:
    from aethex.cache import count_and_set

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    count_and_set("sent", 60, {"last": "hello"}, 3600)
    count_and_set("sent", 60, {}, 3600)
    assert caches["default"].get("sent") == 2 and caches["default"].get("last") == "hello"
