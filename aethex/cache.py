"""Django's Redis cache with one `redis.Redis` client (and pool) per server per process.

Django keeps a cache object per asyncio context (`caches` is a context-local), and each one
builds its own connection pool: under Channels every socket's task got its own, so a room of
3,000 viewers held 3,000 Redis connections, each opened with a TCP handshake and redis-py 8's
response-callback table (~0.4 ms of CPU) during the connect burst, and kept until the collector
found it. The client is thread-safe, so every cache object of the process shares it.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# (server URL, pool options) -> the process's client for it
_clients: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        django_client: Any = self  # the stubs leave out RedisCacheClient's private helpers
        self._options_key = repr(sorted(django_client._pool_options.items()))

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self
        index = django_client._get_connection_pool_index(write)
        server = django_client._servers[index]
        identity = (server, self._options_key)
        client = _clients.get(identity)
        if client is None:
            with _lock:
                client = _clients.get(identity)
                if client is None:
                    pool = django_client._pool_class.from_url(server, **django_client._pool_options)
                    client = _clients[identity] = django_client._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


def count_and_set(counter: str, counter_seconds: int, values: dict[str, Any], seconds: int) -> None:
    """Add one to `counter` (kept `counter_seconds` after its last count) and set `values`, in one
    Redis round trip (Django's `incr` alone takes two). Other backends get the plain calls."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        try:
            backend.incr(counter)
        except ValueError:
            backend.set(counter, 1, counter_seconds)
        backend.set_many(values, seconds)
        return
    redis_backend: Any = backend  # the stubs leave out the client and its serializer
    django_client = redis_backend._cache
    pipeline = django_client.get_client(write=True).pipeline(transaction=False)
    key = backend.make_and_validate_key(counter)
    pipeline.incr(key)  # atomic: two tabs of one chatter sending at once both count
    pipeline.expire(key, counter_seconds)
    for name, value in values.items():
        pipeline.set(backend.make_and_validate_key(name), django_client._serializer.dumps(value), ex=seconds)
    pipeline.execute()
