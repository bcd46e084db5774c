"""Distinct viewers and viewer-seconds of a live stream: presence records, the sampler accumulates."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from analytics import selectors
from streams import audience, presence, services, tasks
from streams.models import EndReason, Stream, StreamStatus
from streams.routing import websocket_urlpatterns
from tests.factories import StreamSessionFactory, UserFactory
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db


def _join(slug: str, viewer: str, conn: str, stream_id: int | None) -> None:
    async_to_sync(presence.store().join)(slug, viewer, conn, stream_id)


def _live(channel, minutes_ago: int = 10) -> Stream:
    return StreamSessionFactory.create(
        channel=channel, status=StreamStatus.LIVE, started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_a_viewer_with_several_connections_counts_once_in_the_audience(channel):
    stream = _live(channel)
    for conn in ("tab-1", "tab-2", "phone"):
        _join("nova", "u1", conn, stream.pk)
    _join("nova", "u2", "tab-1", stream.pk)
    assert presence.audience_count(stream.pk) == 2


def test_audiences_of_two_streams_are_kept_apart(channel):
    first, second = _live(channel), StreamSessionFactory(channel=channel)
    _join("nova", "u1", "c1", first.pk)
    _join("nova", "u2", "c2", second.pk)
    _join("nova", "u3", "c3", None)  # watching the offline page: in no audience
    assert (presence.audience_count(first.pk), presence.audience_count(second.pk)) == (1, 1)


def test_a_viewer_who_left_and_came_back_still_counts_once(channel):
    stream = _live(channel)
    _join("nova", "u1", "c1", stream.pk)
    async_to_sync(presence.store().leave)("nova", "u1", "c1")
    _join("nova", "u1", "c2", stream.pk)
    assert presence.audience_count(stream.pk) == 1
    assert presence.viewer_count("nova") == 1


async def _counted(communicator: WebsocketCommunicator) -> None:
    """The socket sends its first stream.status once the viewer is counted (accept comes before)."""
    while (await communicator.receive_json_from(timeout=5))["type"] != "stream.status":
        pass


@pytest.mark.django_db(transaction=True)
def test_room_sockets_record_each_viewer_once_in_the_live_streams_audience():
    channel, _ = make_channel("nova")
    stream = _live(channel)
    bob = UserFactory()

    async def scenario() -> None:
        sockets = []
        for user in (bob, bob, AnonymousUser()):  # two tabs of bob, one anonymous socket
            communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/nova/")
            communicator.scope["user"] = user
            assert (await communicator.connect())[0]
            await _counted(communicator)
            sockets.append(communicator)
        overlay = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/nova/?overlay=1")
        overlay.scope["user"] = AnonymousUser()
        assert (await overlay.connect())[0]
        await _counted(overlay)
        assert await database_sync_to_async(presence.audience_count)(stream.pk) == 2
        for communicator in [*sockets, overlay]:
            await communicator.disconnect()

    async_to_sync(scenario)()
    assert presence.audience_count(stream.pk) == 2  # leaving does not shrink the audience


def test_the_sampler_adds_viewers_times_the_interval_to_watch_seconds(channel):
    stream = _live(channel, minutes_ago=30)
    for viewer in ("u1", "u2", "u3"):
        _join("nova", viewer, f"c-{viewer}", stream.pk)
    tasks.sample_viewers()
    stream.refresh_from_db()
    assert (stream.watch_seconds, stream.unique_viewers, stream.peak_viewers) == (180, 3, 3)
    async_to_sync(presence.store().leave)("nova", "u3", "c-u3")
    tasks.sample_viewers()
    stream.refresh_from_db()
    assert stream.watch_seconds == 180 + 2 * audience.SAMPLE_SECONDS
    assert stream.unique_viewers == 3  # u3 left but was seen
    assert selectors.average_watch_seconds(stream) == 100


def test_the_first_sample_counts_only_the_seconds_since_the_start(channel):
    stream = _live(channel, minutes_ago=0)
    now = stream.started_at + timedelta(seconds=20)
    audience.stream_accumulate_audience(stream=stream, viewers=5, now=now)
    stream.refresh_from_db()
    assert stream.watch_seconds == 100


def test_the_sampler_leaves_ended_streams_alone(channel):
    ended = StreamSessionFactory(channel=channel, watch_seconds=500, unique_viewers=4)
    _join("nova", "u1", "c1", ended.pk)
    tasks.sample_viewers()
    ended.refresh_from_db()
    assert (ended.watch_seconds, ended.unique_viewers) == (500, 4)


def test_ending_a_stream_keeps_viewers_who_joined_after_the_last_sample(
    channel, django_capture_on_commit_callbacks
):
    stream = _live(channel)
    _join("nova", "u1", "c1", stream.pk)
    tasks.sample_viewers()
    _join("nova", "u2", "c2", stream.pk)
    _join("nova", "u3", "c3", stream.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.stream_end(stream=stream, reason=EndReason.ENDED_BY_CREATOR)
    stream.refresh_from_db()
    assert (stream.status, stream.unique_viewers) == (StreamStatus.ENDED, 3)


def test_average_watch_time_is_watch_seconds_per_distinct_viewer(channel):
    stream = StreamSessionFactory(channel=channel, watch_seconds=3_600, unique_viewers=8)
    empty = StreamSessionFactory(channel=channel)
    assert selectors.average_watch_seconds(stream) == 450
    assert selectors.average_watch_seconds(empty) == 0
    annotated = {s.pk: s.average_watch_seconds for s in selectors.streams_with_figures(channel=channel)}
    assert annotated == {stream.pk: 450, empty.pk: 0}


@pytest.mark.django_db(transaction=True)
def test_a_viewer_waiting_on_the_offline_page_joins_the_audience_after_go_live(settings):
    settings.PRESENCE_TTL_SECONDS = (
        3  # heartbeats every second instead of every 15 s (Redis wants whole seconds)
    )
    _, key = make_channel("nova")

    async def scenario() -> int:
        viewer = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/nova/")
        viewer.scope["user"] = await database_sync_to_async(UserFactory)()
        assert (await viewer.connect())[0]
        first = await viewer.receive_json_from(timeout=3)
        assert (first["type"], first["status"]) == ("stream.status", "offline")  # connected before go-live
        await database_sync_to_async(hook)("publish", key=key)
        frame: dict = {}
        while not (frame.get("type") == "stream.status" and frame.get("status") == "live"):
            frame = await viewer.receive_json_from(timeout=3)
        await asyncio.sleep(1.5)  # one heartbeat
        stream_id = frame["stream_id"]
        await viewer.disconnect()
        return int(stream_id)

    stream_id = async_to_sync(scenario)()
    assert presence.audience_count(stream_id) == 1
