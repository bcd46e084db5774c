"""The personal socket /ws/me/: auth, the bell's frames, reads, bad frames, and the go-live push."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from social.models import Notification
from tests.factories import FollowFactory, UserFactory
from tests.social.conftest import connect_me
from tests.streams.helpers import hook, make_channel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_celery")]


async def frame_of(communicator, kind: str, timeout: float = 5) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


@database_sync_to_async
def notice_for(user, title: str = "nova is live") -> Notification:
    return Notification.objects.create(recipient=user, title=title, url="/nova/")


async def test_anonymous_gets_an_error_frame_then_a_4401_close():
    socket = await connect_me()
    frame = await socket.receive_json_from()
    assert (frame["type"], frame["code"]) == ("error", "not_authenticated")
    closed = await socket.receive_output()
    assert closed == {"type": "websocket.close", "code": 4401}


async def test_connect_sends_the_unread_count():
    user = await database_sync_to_async(UserFactory)()
    await notice_for(user)
    await notice_for(user)
    socket = await connect_me(user)
    assert await socket.receive_json_from() == {"type": "notification.unread", "count": 2}
    await socket.disconnect()


async def test_bad_frames_get_error_frames_and_the_socket_stays_open():
    user = await database_sync_to_async(UserFactory)()
    socket = await connect_me(user)
    await frame_of(socket, "notification.unread")
    await socket.send_to(text_data="not json")
    assert (await frame_of(socket, "error"))["code"] == "invalid"
    for bad in ([1, 2], {"type": "nonsense"}, {"no": "type"}):
        await socket.send_json_to(bad)
        assert (await frame_of(socket, "error"))["code"] == "unknown_type"
    for bad_id in ("abc", None, 999999):
        await socket.send_json_to({"type": "notification.read", "id": bad_id})
        assert (await frame_of(socket, "error"))["code"] == "not_found"
    await socket.send_json_to({"type": "ping"})
    assert await frame_of(socket, "pong")
    await socket.disconnect()


async def test_reading_over_the_socket_updates_every_tab_and_only_touches_your_own():
    user = await database_sync_to_async(UserFactory)()
    other = await database_sync_to_async(UserFactory)()
    mine = await notice_for(user)
    await notice_for(user)
    theirs = await notice_for(other)
    tab1, tab2 = await connect_me(user), await connect_me(user)
    for tab in (tab1, tab2):
        await frame_of(tab, "notification.unread")
    await tab1.send_json_to({"type": "notification.read", "id": theirs.pk})
    assert (await frame_of(tab1, "error"))["code"] == "not_found"
    await tab1.send_json_to({"type": "notification.read", "id": mine.pk})
    for tab in (tab1, tab2):
        assert (await frame_of(tab, "notification.unread"))["count"] == 1
    await tab2.send_json_to({"type": "notification.read_all"})
    for tab in (tab1, tab2):
        assert (await frame_of(tab, "notification.unread"))["count"] == 0
    await database_sync_to_async(theirs.refresh_from_db)()
    assert theirs.read_at is None
    for tab in (tab1, tab2):
        await tab.disconnect()


async def test_a_follower_socket_receives_the_go_live_notification_from_the_publish_hook():
    channel, key = await database_sync_to_async(make_channel)("nova", title="Synth night")
    fan = await database_sync_to_async(UserFactory)()
    stranger = await database_sync_to_async(UserFactory)()
    await database_sync_to_async(FollowFactory)(channel=channel, user=fan)
    fan_socket, stranger_socket = await connect_me(fan), await connect_me(stranger)
    await frame_of(fan_socket, "notification.unread")
    await frame_of(stranger_socket, "notification.unread")

    response = await database_sync_to_async(hook)("publish", key=key)  # nginx-rtmp's callback
    assert response.status_code == 302

    frame = await frame_of(fan_socket, "notification.new", timeout=1)
    notice = frame["notification"]
    assert (notice["kind"], notice["channel"], notice["title"], notice["text"], notice["url"]) == (
        "live",
        "nova",
        "Nova_Owner is live",
        "Synth night",
        "/nova/",
    )
    assert notice["read"] is False and notice["id"]
    assert await stranger_socket.receive_nothing(timeout=0.3)
    for socket in (fan_socket, stranger_socket):
        await socket.disconnect()
