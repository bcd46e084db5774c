"""The room socket: presence counted once per viewer across sockets, status frames, bad frames."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from aethex.asgi import application
from streams import consumers, presence
from streams.hub import hub
from streams.routing import websocket_urlpatterns
from tests.factories import UserFactory
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db(transaction=True)
ROOM = "/ws/chat/nova/"


@pytest.fixture
def channel():
    return make_channel("nova")[0]


async def connect(user=None, path: str = ROOM) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def room_beat():
    return consumers.room_beat


async def next_of(communicator: WebsocketCommunicator, kind: str, timeout: float = 3) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def test_connect_sends_the_stream_status(channel):
    viewer = await connect()
    status = await next_of(viewer, "stream.status")
    assert (status["status"], status["channel"]) == ("offline", "nova")
    await viewer.disconnect()


async def test_presence_counts_two_viewers_and_drops_one_on_disconnect(channel):
    alice = await database_sync_to_async(UserFactory)()
    first = await connect(alice)
    second = await connect()  # anonymous, no session: one socket, one viewer
    assert (await next_of(first, "presence"))["viewers"] == 2
    assert presence.viewer_count("nova") == 2
    await second.disconnect()
    await asyncio.sleep(1.2)  # broadcasts are debounced to one a second
    assert (await next_of(first, "presence"))["viewers"] == 1
    assert presence.viewer_count("nova") == 1
    await first.disconnect()
    assert presence.viewer_count("nova") == 0


async def test_one_viewer_with_two_tabs_counts_once(channel):
    bob = await database_sync_to_async(UserFactory)()
    tab1, tab2 = await connect(bob), await connect(bob)
    assert (await next_of(tab1, "presence"))["viewers"] == 1
    await tab2.disconnect()
    assert presence.viewer_count("nova") == 1  # the other tab still watches
    await tab1.disconnect()
    assert presence.viewer_count("nova") == 0


async def test_going_live_is_pushed_to_the_room(channel):
    viewer = await connect()
    await next_of(viewer, "stream.status")
    _, key = await database_sync_to_async(make_channel)("sol")
    other = await connect(path="/ws/chat/sol/")
    await next_of(other, "stream.status")
    await database_sync_to_async(hook)("publish", key=key)
    frame = await next_of(other, "stream.status")
    assert frame["status"] == "live"
    assert frame["hls_url"] == "/hls/sol/index.m3u8"
    await viewer.disconnect()
    await other.disconnect()


async def test_bad_frames_get_an_error_frame_and_keep_the_socket(channel):
    viewer = await connect()
    await viewer.send_to(text_data="not json")
    assert (await next_of(viewer, "error"))["code"] == "invalid"
    await viewer.send_json_to({"type": "nuke"})
    assert (await next_of(viewer, "error"))["code"] == "unknown_type"
    await viewer.send_json_to({"type": "ping"})
    assert (await next_of(viewer, "pong"))["type"] == "pong"
    await viewer.disconnect()


async def test_unknown_channel_closes_with_4404(db):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/ghost/")
    communicator.scope["user"] = AnonymousUser()
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4404


async def test_foreign_origin_is_refused_by_the_asgi_stack(channel):
    communicator = WebsocketCommunicator(application, ROOM, headers=[(b"origin", b"https://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
    ok = WebsocketCommunicator(application, ROOM, headers=[(b"origin", b"http://testserver")])
    connected, _ = await ok.connect()
    assert connected
    await ok.disconnect()


async def test_an_obs_overlay_reads_the_room_without_counting_as_a_viewer(channel):
    overlay = await connect(path="/ws/chat/nova/?overlay=1")
    assert (await next_of(overlay, "stream.status"))["channel"] == "nova"
    viewer = await connect()
    assert (await next_of(viewer, "presence"))["viewers"] == 1
    await overlay.disconnect()
    await viewer.disconnect()


async def test_a_presence_outage_leaves_the_socket_working(channel, monkeypatch):
    """Redis refusing presence writes (a pool exhausted by a join storm) must not close sockets."""

    async def refuse(*args, **kwargs):
        raise ConnectionError("No connection available.")

    store = presence.store()
    for method in ("join", "leave", "claim_broadcast"):
        monkeypatch.setattr(store, method, refuse)
    viewer = await connect()
    assert (await next_of(viewer, "stream.status"))["channel"] == "nova"
    await viewer.send_json_to({"type": "ping"})
    assert (await next_of(viewer, "pong"))["type"] == "pong"
    await viewer.disconnect()  # leave fails too, quietly


async def test_the_process_refreshes_each_room_once_per_beat_for_all_its_sockets(
    channel, settings, monkeypatch
):
    """Heartbeats are one pipeline per room per process, not a Redis transaction per socket: it
    lists every viewer with their sockets, drops a socket as soon as it closes, and stops when
    the process has no viewer left."""
    settings.PRESENCE_TTL_SECONDS = 3  # a beat every second (Redis wants whole seconds)
    store = presence.store()
    refreshes: list[tuple[float, dict[str, list[str]]]] = []
    real_refresh = store.refresh
    loop = asyncio.get_running_loop()

    async def recording_refresh(slug, viewers, stream_id):
        refreshes.append((loop.time(), {viewer: sorted(conns) for viewer, conns in viewers.items()}))
        await real_refresh(slug, viewers, stream_id)

    async def until(predicate) -> None:
        deadline = loop.time() + 5
        while not predicate():
            assert loop.time() < deadline, refreshes
            await asyncio.sleep(0.05)

    monkeypatch.setattr(store, "refresh", recording_refresh)
    ana, ben = await database_sync_to_async(UserFactory.create_batch)(2)
    tabs = [await connect(ana), await connect(ana), await connect(ben)]
    for tab in tabs:
        await next_of(tab, "stream.status")

    await until(lambda: refreshes and len(refreshes[-1][1]) == 2)
    assert {viewer: len(conns) for viewer, conns in refreshes[-1][1].items()} == {
        f"u{ana.pk}": 2,
        f"u{ben.pk}": 1,
    }

    await tabs[2].disconnect()
    beats = len(refreshes)
    await until(lambda: len(refreshes) > beats)
    assert list(refreshes[-1][1]) == [f"u{ana.pk}"], "a closed socket is still refreshed"
    assert presence.viewer_count("nova") == 1

    for tab in tabs[:2]:
        await tab.disconnect()
    assert not room_beat().rooms
    beats = len(refreshes)
    await asyncio.sleep(1.5)
    assert len(refreshes) <= beats + 1, "the beat went on with nobody left"
    assert presence.viewer_count("nova") == 0
    times = [at for at, _ in refreshes]
    assert all(later - earlier > 0.5 for earlier, later in itertools.pairwise(times)), (
        "more than one refresh a beat"
    )
    assert not hub().rooms, "a closed socket is still in the room"
