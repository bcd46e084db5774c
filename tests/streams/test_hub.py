"""The room hub across processes (two hubs = two processes) over a real Redis."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import redis
import redis.asyncio as aredis
from django.conf import settings

from streams.hub import Hub

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_url() -> Iterator[str]:
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis: set REDIS_URL")
    yield settings.REDIS_URL


@pytest.fixture
async def hubs(redis_url: str) -> AsyncIterator[Callable[[], Hub]]:
    made: list[Hub] = []

    def make() -> Hub:
        made.append(Hub(redis_url))
        return made[-1]

    yield make
    for hub in made:  # leaving every room ends each hub's listener
        for topic in list(hub.rooms):
            for send in list(hub.rooms[topic]):
                await hub.leave(topic, send)
        if hub._listener is not None:
            await asyncio.wait_for(hub._listener, 5)


def _inbox() -> tuple[list[dict[str, Any]], Callable[[str], Any]]:
    received: list[dict[str, Any]] = []

    async def send(text: str) -> None:
        received.append(json.loads(text))

    return received, send


async def _until(condition: Callable[[], bool], seconds: float = 5) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


async def test_a_frame_published_in_one_process_reaches_every_process_once(hubs) -> None:
    first, second = hubs(), hubs()
    inbox_a, send_a = _inbox()
    inbox_b, send_b = _inbox()
    await first.join("room:hubtest", send_a)
    await second.join("room:hubtest", send_b)

    await first.apublish("room:hubtest", {"type": "chat.message", "id": 1})
    await _until(lambda: bool(inbox_a and inbox_b))
    await asyncio.sleep(0.2)  # room for a duplicate to show up

    assert inbox_a == inbox_b == [{"type": "chat.message", "id": 1}]


async def test_a_room_whose_first_subscribe_failed_is_subscribed_by_the_listener(hubs, monkeypatch) -> None:
    # A burst of joins can starve Redis connections; the room must not stay deaf in this process.
    real_subscribe = aredis.client.PubSub.subscribe
    failures = iter([redis.ConnectionError("No connection available.")])

    async def flaky_subscribe(self: Any, *args: Any, **kwargs: Any) -> Any:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return await real_subscribe(self, *args, **kwargs)

    monkeypatch.setattr(aredis.client.PubSub, "subscribe", flaky_subscribe)
    listener, publisher = hubs(), hubs()
    inbox, send = _inbox()
    await listener.join("room:flaky", send)

    for attempt in range(60):  # the listener resubscribes after its back-off
        await publisher.apublish("room:flaky", {"type": "chat.message", "id": attempt})
        await asyncio.sleep(0.1)
        if inbox:
            break
    assert inbox, "the room never got subscribed after the first subscribe failed"


async def test_an_observer_sees_each_frame_of_its_kind_once_per_process(hubs) -> None:
    hub = hubs()
    seen: list[tuple[str, dict[str, Any]]] = []

    def remember(topic: str, frame: dict[str, Any]) -> None:
        seen.append((topic, frame))

    for _ in range(3):  # registering again (every socket's connect does) adds nothing
        hub.observe("stream.status", remember)
    inboxes = [_inbox() for _ in range(3)]
    for _, send in inboxes:
        await hub.join("room:observed", send)

    await hub.apublish("room:observed", {"type": "stream.status.extra", "id": 0})  # another kind
    await hub.apublish("room:observed", {"type": "stream.status", "stream_id": 7})
    await _until(lambda: all(len(inbox) == 2 for inbox, _ in inboxes))

    assert seen == [("room:observed", {"type": "stream.status", "stream_id": 7})]
